package dev.p2pchat.protocol;

import java.util.regex.Pattern;

/** The naming rules of the contract: what a username, room name and room description may be. */
public final class Names {
    public static final int MIN_NAME_CHARS = 3;
    public static final int MAX_NAME_CHARS = 32;
    public static final int MAX_DESCRIPTION_CHARS = 200;
    public static final int MIN_CAPACITY = 2;
    public static final int MAX_CAPACITY = 1000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{" + MIN_NAME_CHARS + "," + MAX_NAME_CHARS + "}");

    private Names() {
    }

    public static boolean isValidUsername(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static boolean isValidRoomName(String name) {
        return isValidUsername(name);
    }

    /** Why a name is refused, phrased for a person; null when it is fine. */
    public static String problemWithName(String what, String name) {
        if (name == null || name.isEmpty()) {
            return what + " is missing";
        }
        if (name.length() < MIN_NAME_CHARS || name.length() > MAX_NAME_CHARS) {
            return what + " must be " + MIN_NAME_CHARS + "-" + MAX_NAME_CHARS + " characters long";
        }
        if (!NAME.matcher(name).matches()) {
            return what + " may contain only letters, digits, '_', '.' and '-'";
        }
        return null;
    }

    public static String problemWithDescription(String description) {
        if (description.length() > MAX_DESCRIPTION_CHARS) {
            return "description must be at most " + MAX_DESCRIPTION_CHARS + " characters";
        }
        if (!Syntax.isSingleLine(description)) {
            return "description must be one line without control characters";
        }
        return null;
    }

    public static String problemWithCapacity(int capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
            return "capacity must be between " + MIN_CAPACITY + " and " + MAX_CAPACITY;
        }
        return null;
    }
}
