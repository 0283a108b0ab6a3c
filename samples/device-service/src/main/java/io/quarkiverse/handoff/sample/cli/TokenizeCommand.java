package io.quarkiverse.handoff.sample.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Encodes text with a Hugging Face tokenizer.json, as the opener does (no BOS/EOS added). */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Print the token ids of a text for a tokenizer.json (special tokens written in the text, such as "
        + "<|im_start|>, are recognised; no BOS/EOS is added).")
public class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "the tokenizer.json")
    Path tokenizer;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "the text to encode")
        String text;

        @Option(names = "--text-file", paramLabel = "FILE", description = "a UTF-8 file whose whole content is encoded")
        Path textFile;
    }

    @Option(names = "--json", description = "print {\"ids\":[...]} instead of space-separated ids")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException("the tokenizer file '" + tokenizer.toAbsolutePath() + "' "
                    + (Files.exists(tokenizer) ? "is not a file" : "does not exist")
                    + ": pass --tokenizer the tokenizer.json of a model");
        }
        String text = input.text;
        if (text == null) {
            if (!Files.isRegularFile(input.textFile)) {
                throw new IllegalArgumentException("the text file '" + input.textFile.toAbsolutePath()
                        + "' does not exist: pass --text-file a UTF-8 text file, or the text itself with --text");
            }
            try {
                text = Files.readString(input.textFile, StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("the text file '" + input.textFile.toAbsolutePath()
                        + "' is not UTF-8: convert it (e.g. iconv -t UTF-8) or pass the text with --text");
            }
        }
        int[] ids = Tokenizer.load(tokenizer).encode(text);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode out = mapper.createObjectNode();
            ArrayNode array = out.putArray("ids");
            Arrays.stream(ids).forEach(array::add);
            spec.commandLine().getOut().println(mapper.writeValueAsString(out));
        } else {
            spec.commandLine().getOut().println(Arrays.stream(ids).mapToObj(Integer::toString)
                    .collect(Collectors.joining(" ")));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
