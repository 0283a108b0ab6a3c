package io.quarkiverse.handoff.runtime.continuator;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A SOCKS5 proxy on 127.0.0.1 that holds the first connection in the middle of its handshake until
 * {@link #release()}: the client's connection to the server stays "being opened" as long as a test wants. Released,
 * it connects to the server the client asked for and relays both ways until either side closes.
 */
final class HeldSocksProxy implements AutoCloseable {

    private final ServerSocket server;
    private final CountDownLatch greeted = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread acceptor;

    HeldSocksProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "held-socks-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Waits until a client sent its SOCKS greeting, which the proxy then holds unanswered. */
    boolean awaitGreeting(long timeoutMs) throws InterruptedException {
        return greeted.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Lets the handshake go on: the client's connection opens. */
    void release() {
        released.countDown();
    }

    private void serve() {
        try (Socket client = server.accept()) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            in.readUnsignedByte(); // version 5
            in.readFully(new byte[in.readUnsignedByte()]); // the authentication methods offered
            greeted.countDown();
            released.await();
            out.write(new byte[] { 5, 0 }); // no authentication
            in.readFully(new byte[3]); // version, CONNECT, reserved
            String host = switch (in.readUnsignedByte()) {
                case 1 -> {
                    byte[] address = new byte[4];
                    in.readFully(address);
                    yield InetAddress.getByAddress(address).getHostAddress();
                }
                case 3 -> {
                    byte[] name = new byte[in.readUnsignedByte()];
                    in.readFully(name);
                    yield new String(name, StandardCharsets.US_ASCII);
                }
                default -> throw new IOException("an address type this proxy does not serve");
            };
            int port = in.readUnsignedShort();
            try (Socket target = new Socket(host, port)) {
                out.write(new byte[] { 5, 0, 0, 1, 0, 0, 0, 0, 0, 0 });
                out.flush();
                Thread back = new Thread(() -> relay(target, client), "held-socks-proxy-back");
                back.setDaemon(true);
                back.start();
                relay(client, target);
                back.join(10_000);
            }
        } catch (IOException | InterruptedException e) {
            // the test ended or a side closed: nothing to relay any more
        }
    }

    /** Copies from one socket to the other until the first ends, then closes the other's output and input. */
    private static void relay(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed
        } finally {
            try {
                to.close();
                from.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
    }
}
