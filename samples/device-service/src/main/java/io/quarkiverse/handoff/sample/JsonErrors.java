package io.quarkiverse.handoff.sample;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * What is wrong with a JSON body, in the body's own terms: the field ({@code messages[0].content}), the JSON it must be
 * (a list, a text, a number) and where the syntax breaks (line and column). Jackson's own messages name the Java
 * classes a body is read into, which mean nothing to a client and expose the service's internals.
 */
final class JsonErrors {

    private JsonErrors() {
    }

    static String describe(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String field = path(mismatch);
            String expected = "must be " + jsonKind(mismatch.getTargetType());
            String got = mismatch instanceof InvalidFormatException format && format.getValue() != null
                    ? " (it is " + (format.getValue() instanceof String ? "\"" + format.getValue() + "\"" : format.getValue())
                            + ")"
                    : offendingValue(mismatch);
            return (field.isEmpty() ? "the body " : "'" + field + "' ") + expected + got;
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        // Jackson appends where a construct started as "(start marker at [Source: ...])": the location below says it
        int source = message.indexOf(" (start marker");
        if (source < 0) {
            source = message.indexOf(" [Source");
        }
        String syntax = (source < 0 ? message : message.substring(0, source)).lines().findFirst().orElse("").strip();
        JsonLocation location = e.getLocation();
        return "the JSON is malformed" + (location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr())
                + (syntax.isEmpty() ? "" : ": " + syntax);
    }

    /** Jackson names a refused scalar in its message: {@code Cannot coerce String value ("full") to ...}. */
    private static final Pattern REFUSED_SCALAR = Pattern.compile("Cannot coerce \\w+ value \\((.{1,80}?)\\) to ");

    /** The value of the wrong kind, as the client wrote it ({@code "full"}, {@code 123}), when Jackson says it. */
    private static String offendingValue(MismatchedInputException e) {
        Matcher refused = REFUSED_SCALAR.matcher(String.valueOf(e.getOriginalMessage()));
        return refused.find() ? " (it is " + refused.group(1) + ")" : "";
    }

    /** The field at fault, as a client writes it: {@code messages[0].content}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String jsonKind(Class<?> type) {
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class
                || type.isEnum()) {
            return "a text";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "an object";
    }
}
