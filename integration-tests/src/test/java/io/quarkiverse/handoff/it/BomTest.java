package io.quarkiverse.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The BOM an application imports manages what the build itself uses: the same platform versions, the same pins of the
 * partial mirror's holes (ahead of the platform import), and every artifact this project publishes.
 */
class BomTest {

    static final Path ROOT = Path.of("..");

    @Test
    void theBomManagesWhatTheBuildUses() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));

        for (String version : List.of("quarkus.version", "quarkus-langchain4j.version", "drools.version",
                "onnxruntime.version")) {
            assertThat(property(bom, version)).as(version).isEqualTo(property(root, version));
        }
        assertThat(text(bom.getDocumentElement(), "version")).as("the BOM's own version")
                .isEqualTo(text(root.getDocumentElement(), "version"));
        // the same managed entries in the same order: the pins first, so that they win over the platform BOMs
        assertThat(List.copyOf(managed(bom, false).entrySet()))
                .containsExactlyElementsOf(List.copyOf(managed(root, false).entrySet()));
        assertThat(List.copyOf(managed(bom, false).keySet()).indexOf("io.quarkus:quarkus-qute"))
                .isLessThan(List.copyOf(managed(bom, false).keySet()).indexOf("io.quarkus:quarkus-bom"));
        assertThat(managed(bom, true)).as("this project's artifacts")
                .containsExactlyInAnyOrderEntriesOf(managed(root, true));
    }

    @Test
    void theReadmesApplicationBuildsWithTheBomsQuarkus() throws Exception {
        String pom = ReadmeApplicationIT.filesOf(Files.readString(ROOT.resolve("README.md"))).get("pom.xml");
        Document readme = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(pom)));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        assertThat(property(readme, "quarkus.version")).as("the README application's quarkus-maven-plugin")
                .isEqualTo(property(bom, "quarkus.version"));
        assertThat(property(readme, "quarkus-handoff.version")).isEqualTo(text(bom.getDocumentElement(), "version"));
    }

    static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    static String property(Document pom, String name) {
        Element properties = (Element) pom.getElementsByTagName("properties").item(0);
        return text(properties, name);
    }

    /** groupId:artifactId to version of the managed dependencies: this project's own, or the others bar test ones. */
    static Map<String, String> managed(Document pom, boolean own) {
        Element management = (Element) pom.getElementsByTagName("dependencyManagement").item(0);
        NodeList dependencies = management.getElementsByTagName("dependency");
        Map<String, String> managed = new LinkedHashMap<>();
        List<String> testLibraries = new ArrayList<>(List.of("org.assertj", "net.jqwik"));
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String group = text(dependency, "groupId");
            if (group.equals("io.quarkiverse.handoff") == own && !testLibraries.contains(group)) {
                managed.put(group + ":" + text(dependency, "artifactId"), text(dependency, "version"));
            }
        }
        return managed;
    }

    static String text(Element parent, String child) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(child)) {
                return element.getTextContent().trim();
            }
        }
        return null;
    }
}
