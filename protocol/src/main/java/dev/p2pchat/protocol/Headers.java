package dev.p2pchat.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The header lines of a frame: lower-case unique names, single-line values, in the order written. */
public final class Headers {
    public static final Headers EMPTY = new Headers(Map.of());

    private final Map<String, String> values;

    private Headers(Map<String, String> values) {
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value, or null when absent. */
    public String valueOrNull(String name) {
        return values.get(name);
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    public int size() {
        return values.size();
    }

    public Map<String, String> asMap() {
        return values;
    }

    /**
     * A copy with {@code name} set to {@code value}: a header already present keeps its place, a new one goes last;
     * a null value removes the header.
     */
    public Headers with(String name, String value) {
        Builder builder = new Builder();
        boolean replaced = false;
        for (Map.Entry<String, String> header : values.entrySet()) {
            if (!header.getKey().equals(name)) {
                builder.put(header.getKey(), header.getValue());
            } else if (value != null) {
                builder.put(name, value);
                replaced = true;
            }
        }
        if (!replaced) {
            builder.put(name, value);
        }
        return builder.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** Collects headers; a null value means "leave the header out", so optional fields read naturally. */
    public static final class Builder {
        private final LinkedHashMap<String, String> values = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(String name, String value) {
            Objects.requireNonNull(name, "name");
            if (value == null) {
                return this;
            }
            if (!Syntax.isHeaderName(name)) {
                throw new IllegalArgumentException("bad header name: " + name);
            }
            if (name.equals(HeaderNames.CONTENT_LENGTH)) {
                throw new IllegalArgumentException("content-length is written by the codec");
            }
            if (!Syntax.isHeaderValue(value)) {
                throw new IllegalArgumentException("header " + name + " has a control character");
            }
            values.put(name, value);
            return this;
        }

        public Builder put(String name, long value) {
            return put(name, Long.toString(value));
        }

        /** Adds a header read from the wire; the codec has already checked name and value. */
        Builder putChecked(String name, String value) {
            values.put(name, value);
            return this;
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        public Headers build() {
            if (values.isEmpty()) {
                return EMPTY;
            }
            return new Headers(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }
    }

    static List<String> names(Headers headers) {
        return new ArrayList<>(headers.values.keySet());
    }
}
