package io.quarkiverse.handoff.deployment.policy;

import java.nio.charset.StandardCharsets;

import org.drools.io.ByteArrayResource;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;

/**
 * One rule file found at build time.
 *
 * @param path its path inside its archive or classes directory, e.g. {@code io/quarkiverse/handoff/policies/watch.drl}
 * @param origin where it comes from, for messages: a dependency ({@code groupId:artifactId}) or a file of the
 *        application (its source path when it can be found)
 * @param fromApplication whether the application itself holds it
 * @param content the DRL text
 */
public record RuleFile(String path, String origin, boolean fromApplication, byte[] content) {

    /** How a build error names the file. */
    public String displayName() {
        return origin.equals(path) ? path : path + " (" + origin + ")";
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    public Resource toResource() {
        ByteArrayResource resource = new ByteArrayResource(content, StandardCharsets.UTF_8.name());
        resource.setSourcePath(path);
        resource.setResourceType(ResourceType.DRL);
        return resource;
    }
}
