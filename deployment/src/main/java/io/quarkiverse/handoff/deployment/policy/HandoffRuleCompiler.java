package io.quarkiverse.handoff.deployment.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.drools.codegen.common.DroolsModelBuildContext;
import org.drools.codegen.common.GeneratedFile;
import org.drools.codegen.common.GeneratedFileType;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.ParserError;
import org.drools.model.codegen.execmodel.PackageModel;
import org.drools.model.codegen.execmodel.PackageModelWriter;
import org.drools.model.codegen.project.DroolsModelBuilder;
import org.drools.model.codegen.project.RuleCodegenError;
import org.drools.quarkus.util.deployment.DroolsQuarkusResourceUtils;
import org.kie.api.io.Resource;
import org.kie.internal.builder.KnowledgeBuilderResult;

import io.quarkus.arc.deployment.GeneratedBeanBuildItem;
import io.quarkus.maven.dependency.ResolvedDependency;

/**
 * Compiles handoff rule files into Drools executable-model classes (the same code generation drools-quarkus uses),
 * plus the {@code HandoffRules} bean that lists them, and names the rule FILE in every error: Drools alone reports the
 * line and the rule, not the file.
 */
final class HandoffRuleCompiler {

    static final String GENERATED_RULES_CLASS = "io.quarkiverse.handoff.runtime.policy.GeneratedHandoffRules";

    /** What one compilation produced. */
    record Compiled(Collection<GeneratedFile> generatedFiles, Collection<GeneratedBeanBuildItem> classes,
            List<String> modelClasses, Set<Class<?>> patternTypes) {
    }

    private final DroolsModelBuildContext context;
    private final Collection<ResolvedDependency> dependencies;
    private final boolean debugSymbols;

    HandoffRuleCompiler(DroolsModelBuildContext context, Collection<ResolvedDependency> dependencies,
            boolean debugSymbols) {
        this.context = context;
        this.dependencies = dependencies;
        this.debugSymbols = debugSymbols;
    }

    /** The syntax errors of one file, each as {@code line L:C message}; empty when it parses. */
    static List<String> syntaxErrors(RuleFile file) {
        DrlParser parser = new DrlParser();
        try {
            PackageDescr descr = parser.parse(file.toResource());
            if (!parser.hasErrors() && descr != null) {
                return List.of();
            }
        } catch (Exception e) {
            if (!parser.hasErrors()) {
                return List.of(e.getMessage());
            }
        }
        List<String> errors = new ArrayList<>();
        for (DroolsError error : parser.getErrors()) {
            errors.add(describe(error, file));
        }
        return errors.isEmpty() ? List.of("cannot be parsed") : errors;
    }

    /**
     * Compiles the files together.
     *
     * @throws RuleFileException naming the file(s) that do not compile
     */
    Compiled compile(List<RuleFile> files) {
        try {
            return compileUnchecked(files);
        } catch (RuleCodegenError | RuntimeException e) {
            throw new RuleFileException(locate(files, e));
        }
    }

    private Compiled compileUnchecked(List<RuleFile> files) {
        List<GeneratedFile> generated = new ArrayList<>();
        List<String> models = new ArrayList<>();
        Set<Class<?>> patternTypes = new LinkedHashSet<>();
        if (!files.isEmpty()) {
            List<Resource> resources = files.stream().map(RuleFile::toResource).toList();
            DroolsModelBuilder builder = new DroolsModelBuilder(context, resources, false, PackageModelWriter::new);
            builder.build();
            generated.addAll(builder.generateCanonicalModelSources());
            for (PackageModel pkg : builder.getPackageModels()) {
                models.add(pkg.getRulesFileNameWithPackage());
                patternTypes.addAll(pkg.getOtnsClasses());
            }
        }
        models.sort(null);
        generated.add(new GeneratedFile(GeneratedFileType.SOURCE, GENERATED_RULES_CLASS.replace('.', '/') + ".java",
                rulesBeanSource(models, files)));
        Collection<GeneratedBeanBuildItem> classes;
        try {
            classes = DroolsQuarkusResourceUtils.compileGeneratedSources(context, dependencies, generated, debugSymbols);
        } catch (RuntimeException e) {
            throw new GeneratedCodeException(e, generated);
        }
        return new Compiled(generated, classes, models, patternTypes);
    }

    /** The Java code generated from the rules does not compile: usually a rule's "then" part is not valid Java. */
    static final class GeneratedCodeException extends RuntimeException {

        private static final Pattern JAVAC_ERROR = Pattern.compile(
                "([\\w/$.-]+\\.java) \\((\\d+):(\\d+)\\) : (.+?)(?=, [\\w/$.-]+\\.java \\(|\\]|\\R|$)");

        private final Collection<GeneratedFile> generated;

        GeneratedCodeException(RuntimeException cause, Collection<GeneratedFile> generated) {
            super(cause.getMessage(), cause);
            this.generated = generated;
        }

        /** Each javac error, traced back to the rule file line that holds the offending code when possible. */
        List<String> describe(RuleFile file) {
            List<String> details = new ArrayList<>();
            Matcher m = JAVAC_ERROR.matcher(String.valueOf(getMessage()));
            while (m.find()) {
                String code = generatedLine(m.group(1), Integer.parseInt(m.group(2)));
                String where = code != null ? findCode(file, code) : null;
                details.add((where != null ? where + ": " : "") + m.group(4).trim()
                        + (code != null ? ", in: " + code : ""));
            }
            if (details.isEmpty()) {
                details.add(message(this));
            }
            return details;
        }

        private String generatedLine(String path, int line) {
            for (GeneratedFile file : generated) {
                if (file.relativePath().replace('\\', '/').endsWith(path)) {
                    String[] lines = new String(file.contents(), StandardCharsets.UTF_8).split("\\R", -1);
                    return line >= 1 && line <= lines.length ? lines[line - 1].trim() : null;
                }
            }
            return null;
        }
    }

    /** The line (and rule) of the rule file that holds that piece of code, ignoring spaces. */
    static String findCode(RuleFile file, String code) {
        String needle = code.replaceAll("\\s+", "");
        if (needle.endsWith(";")) {
            needle = needle.substring(0, needle.length() - 1);
        }
        if (needle.length() < 3) {
            return null;
        }
        String[] lines = file.text().split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].replaceAll("\\s+", "").contains(needle)) {
                String rule = ruleAt(file, i + 1);
                return "line " + (i + 1) + (rule != null ? " (rule \"" + rule + "\")" : "");
            }
        }
        return null;
    }

    /** The HandoffRules bean: instantiates the generated models, no reflection. */
    static String rulesBeanSource(List<String> modelClasses, List<RuleFile> files) {
        String models = modelClasses.stream().map(c -> "new " + c + "()").collect(Collectors.joining(", "));
        String names = files.stream().map(f -> javaString(f.path())).collect(Collectors.joining(", "));
        int dot = GENERATED_RULES_CLASS.lastIndexOf('.');
        return "package " + GENERATED_RULES_CLASS.substring(0, dot) + ";\n\n"
                + "/** Generated by quarkus-handoff at build time: the compiled handoff rules. */\n"
                + "@jakarta.inject.Singleton\n"
                + "public class " + GENERATED_RULES_CLASS.substring(dot + 1)
                + " implements io.quarkiverse.handoff.runtime.policy.HandoffRules {\n\n"
                + "    @Override\n"
                + "    public java.util.List<org.drools.model.Model> models() {\n"
                + "        return java.util.List.of(" + models + ");\n"
                + "    }\n\n"
                + "    @Override\n"
                + "    public java.util.List<String> ruleFiles() {\n"
                + "        return java.util.List.of(" + names + ");\n"
                + "    }\n"
                + "}\n";
    }

    private static String javaString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Finds which file(s) a compilation error comes from: from the errors themselves when they carry their resource,
     * otherwise by compiling the application's files, then the dependencies' files, one at a time.
     */
    private String locate(List<RuleFile> files, Throwable failure) {
        List<String> attributed = new ArrayList<>();
        KnowledgeBuilderResult[] results = failure instanceof RuleCodegenError codegen ? codegen.getErrors()
                : new KnowledgeBuilderResult[0];
        boolean allAttributed = results.length > 0;
        for (KnowledgeBuilderResult result : results) {
            RuleFile file = result.getResource() != null ? byPath(files, result.getResource().getSourcePath()) : null;
            if (file == null) {
                allAttributed = false;
                break;
            }
            attributed.add(fileMessage(file, List.of(describe(result, file))));
        }
        if (allAttributed) {
            return String.join("\n", attributed);
        }
        List<String> located = isolate(files.stream().filter(RuleFile::fromApplication).toList());
        if (located.isEmpty()) {
            located = isolate(files.stream().filter(f -> !f.fromApplication()).toList());
        }
        if (!located.isEmpty()) {
            return String.join("\n", located);
        }
        return "Handoff rule files " + files.stream().map(RuleFile::displayName).collect(Collectors.joining(", "))
                + " do not compile together:\n  " + indent(message(failure));
    }

    private List<String> isolate(List<RuleFile> candidates) {
        List<String> located = new ArrayList<>();
        for (RuleFile file : candidates) {
            try {
                compileUnchecked(List.of(file));
            } catch (RuleCodegenError | RuntimeException e) {
                List<String> details = new ArrayList<>();
                if (e instanceof RuleCodegenError codegen && codegen.getErrors().length > 0) {
                    for (KnowledgeBuilderResult result : codegen.getErrors()) {
                        details.add(describe(result, file));
                    }
                } else if (e instanceof GeneratedCodeException generatedCode) {
                    details.addAll(generatedCode.describe(file));
                } else {
                    details.add(message(e));
                }
                located.add(fileMessage(file, details));
            }
        }
        return located;
    }

    static String fileMessage(RuleFile file, List<String> details) {
        return "Handoff rule file " + file.displayName() + " does not compile:\n  "
                + details.stream().map(HandoffRuleCompiler::indent).collect(Collectors.joining("\n  "));
    }

    private static RuleFile byPath(List<RuleFile> files, String sourcePath) {
        if (sourcePath == null) {
            return null;
        }
        return files.stream().filter(f -> f.path().equals(sourcePath)).findFirst().orElse(null);
    }

    /** One error as {@code line L:C message}, finding the line (and rule) in the file when Drools gives none. */
    static String describe(KnowledgeBuilderResult result, RuleFile file) {
        String message = result.getMessage() != null ? result.getMessage().trim() : String.valueOf(result);
        // "[ERR 102] Line 9:4 mismatched input ..." -> "mismatched input ..."
        message = message.replaceFirst("^\\[ERR \\d+\\]\\s*Line \\d+:\\d+\\s*", "");
        if (message.startsWith("Duplicate rule name")) {
            message += " (a rule name must be unique in its package: to replace a default rule, write your own rule in"
                    + " your own package with the default's activation-group and a higher salience)";
        }
        if (result instanceof ParserError parserError && parserError.getRow() > 0) {
            return "line " + parserError.getRow() + ":" + parserError.getCol() + " " + message;
        }
        int[] lines = result.getLines();
        if (lines != null && lines.length > 0 && lines[0] > 0) {
            return "line " + lines[0] + ": " + message;
        }
        if (file != null) {
            String where = findInFile(file, message);
            if (where != null) {
                return where + ": " + message;
            }
        }
        return message;
    }

    /**
     * Drools reports some errors without a line, e.g. "Unable to parse left part of expression: noSuchProperty > 3":
     * the text after the last colon is looked up in the file to give the line and the rule.
     */
    static String findInFile(RuleFile file, String message) {
        int colon = message.lastIndexOf(": ");
        String needle = colon >= 0 ? message.substring(colon + 2).trim() : "";
        if (needle.length() < 3) {
            return null;
        }
        String[] lines = file.text().split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                int line = i + 1;
                String rule = ruleAt(file, line);
                return "line " + line + (rule != null ? " (rule \"" + rule + "\")" : "");
            }
        }
        return null;
    }

    private static String ruleAt(RuleFile file, int line) {
        try {
            DrlParser parser = new DrlParser();
            PackageDescr descr = parser.parse(file.toResource());
            if (descr == null) {
                return null;
            }
            for (RuleDescr rule : descr.getRules()) {
                if (rule.getLine() <= line && (rule.getEndLine() <= 0 || line <= rule.getEndLine())) {
                    return rule.getName();
                }
            }
        } catch (Exception e) {
            // no rule name then
        }
        return null;
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        while ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
            cause = cause.getCause();
        }
        return message == null ? e.toString() : message.trim();
    }

    private static String indent(String s) {
        return s.replace("\n", "\n    ");
    }

}
