package dev.p2pchat.cli.render;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jline.utils.AttributedStyle;

/**
 * The named styles of the chat UI. In {@link ColorMode#NO_COLOR} mode every style is
 * {@link AttributedStyle#DEFAULT}, so callers style unconditionally and the theme decides. Each role's style can
 * be replaced by the user ({@code [colors]} in the config file, {@code /set colors.ROLE STYLE}).
 */
public final class Theme {

    /** The roles a user can restyle; {@link #key()} is the name in the config file. */
    public enum Role {
        SYSTEM, ERROR, OWN, DELIVERED, FAILED, WARNING, RECEIPT, TIMESTAMP, HISTORY, HIGHLIGHT, UNREAD, STATUS_BAR, PROMPT;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The role named {@code key} in the config file ("status_bar"), if there is one. */
        public static java.util.Optional<Role> byKey(String key) {
            for (Role role : values()) {
                if (role.key().equals(key)) {
                    return java.util.Optional.of(role);
                }
            }
            return java.util.Optional.empty();
        }
    }

    private static final AttributedStyle GREY = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.BLACK);

    private final ColorMode mode;
    private final Map<Role, AttributedStyle> overrides;

    private Theme(ColorMode mode, Map<Role, AttributedStyle> overrides) {
        this.mode = mode;
        this.overrides = overrides;
    }

    public static Theme of(ColorMode mode) {
        return new Theme(Objects.requireNonNull(mode, "mode"), Map.of());
    }

    /**
     * The default theme with the user's styles: {@code colors} maps a {@link Role#key()} to a {@link StyleSpec}.
     *
     * @throws StyleSpec.Invalid for an unknown role or a style that cannot be read
     */
    public static Theme of(ColorMode mode, Map<String, String> colors) {
        Map<Role, AttributedStyle> overrides = new EnumMap<>(Role.class);
        colors.forEach((key, spec) -> overrides.put(role(key), StyleSpec.parse(spec)));
        return new Theme(Objects.requireNonNull(mode, "mode"), Map.copyOf(overrides));
    }

    /** This theme with {@code role} restyled by {@code spec} ({@code /set colors.ROLE STYLE}). */
    public Theme with(Role role, String spec) {
        Map<Role, AttributedStyle> changed = new EnumMap<>(Role.class);
        changed.putAll(overrides);
        changed.put(role, StyleSpec.parse(spec));
        return new Theme(mode, Map.copyOf(changed));
    }

    /** The role named {@code key}, or a {@link StyleSpec.Invalid} that lists the roles. */
    public static Role role(String key) {
        return Role.byKey(key).orElseThrow(() -> new StyleSpec.Invalid("no colour role " + key + " (roles: "
                + String.join(", ", java.util.Arrays.stream(Role.values()).map(Role::key).toList()) + ")"));
    }

    public ColorMode mode() {
        return mode;
    }

    /** Notices from the client itself ("bob joined lobby"): grey italic, out of the way. */
    public AttributedStyle system() {
        return styled(Role.SYSTEM, GREY.italic());
    }

    public AttributedStyle error() {
        return styled(Role.ERROR, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold());
    }

    /** The user's own name and messages: bold in the default colour, unlike anyone else's. */
    public AttributedStyle own() {
        return styled(Role.OWN, AttributedStyle.BOLD);
    }

    /** Another user's name, in their {@link UserColors} colour. */
    public AttributedStyle user(String username) {
        return styled(UserColors.styleFor(username));
    }

    /** Delivery receipt ✓. */
    public AttributedStyle delivered() {
        return styled(Role.DELIVERED, AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
    }

    /** Failed delivery ✗. */
    public AttributedStyle failed() {
        return styled(Role.FAILED, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
    }

    /** A partial outcome (a room message some members missed) and a lost registry connection. */
    public AttributedStyle warning() {
        return styled(Role.WARNING, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
    }

    /** Receipt text under an own message: present, but quieter than the message. */
    public AttributedStyle receipt() {
        return styled(Role.RECEIPT, GREY);
    }

    /** Lines replayed from the chat history at login: dimmed, so that no one takes them for new messages. */
    public AttributedStyle history() {
        return styled(Role.HISTORY, GREY);
    }

    public AttributedStyle timestamp() {
        return styled(Role.TIMESTAMP, GREY);
    }

    /** The sender of a message that names the user, and a highlighted buffer on the status line. */
    public AttributedStyle highlight() {
        return styled(Role.HIGHLIGHT, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW).bold().inverse());
    }

    /** A buffer with unread messages on the status line. */
    public AttributedStyle unread() {
        return styled(Role.UNREAD, AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN).bold());
    }

    /** The status line's background and the buffer shown now on it. */
    public AttributedStyle statusBar() {
        return styled(Role.STATUS_BAR, AttributedStyle.DEFAULT.foreground(AttributedStyle.WHITE).background(AttributedStyle.BLUE));
    }

    public AttributedStyle prompt() {
        return styled(Role.PROMPT, AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN).bold());
    }

    private AttributedStyle styled(Role role, AttributedStyle style) {
        return styled(overrides.getOrDefault(role, style));
    }

    private AttributedStyle styled(AttributedStyle style) {
        return mode == ColorMode.COLOR ? style : AttributedStyle.DEFAULT;
    }
}
