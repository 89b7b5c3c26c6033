package dev.p2pchat.cli.render;

import java.util.Objects;

import org.jline.utils.AttributedStyle;

/**
 * The named styles of the chat UI. In {@link ColorMode#NO_COLOR} mode every style is
 * {@link AttributedStyle#DEFAULT}, so callers style unconditionally and the theme decides.
 */
public final class Theme {

    private static final AttributedStyle GREY = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.BLACK);

    private final ColorMode mode;

    private Theme(ColorMode mode) {
        this.mode = mode;
    }

    public static Theme of(ColorMode mode) {
        return new Theme(Objects.requireNonNull(mode, "mode"));
    }

    public ColorMode mode() {
        return mode;
    }

    /** Notices from the client itself ("bob joined lobby"): grey italic, out of the way. */
    public AttributedStyle system() {
        return styled(GREY.italic());
    }

    public AttributedStyle error() {
        return styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold());
    }

    /** The user's own name and messages: bold in the default colour, unlike anyone else's. */
    public AttributedStyle own() {
        return styled(AttributedStyle.BOLD);
    }

    /** Another user's name, in their {@link UserColors} colour. */
    public AttributedStyle user(String username) {
        return styled(UserColors.styleFor(username));
    }

    /** Delivery receipt ✓. */
    public AttributedStyle delivered() {
        return styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
    }

    /** Failed delivery ✗. */
    public AttributedStyle failed() {
        return styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
    }

    /** A partial outcome (a room message some members missed) and a lost registry connection. */
    public AttributedStyle warning() {
        return styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
    }

    /** Receipt text under an own message: present, but quieter than the message. */
    public AttributedStyle receipt() {
        return styled(GREY);
    }

    /** Lines replayed from the chat history at login: dimmed, so that no one takes them for new messages. */
    public AttributedStyle history() {
        return styled(GREY);
    }

    public AttributedStyle timestamp() {
        return styled(GREY);
    }

    /** The sender of a message that names the user, and a highlighted buffer on the status line. */
    public AttributedStyle highlight() {
        return styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW).bold().inverse());
    }

    /** A buffer with unread messages on the status line. */
    public AttributedStyle unread() {
        return styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN).bold());
    }

    /** The status line's background and the buffer shown now on it. */
    public AttributedStyle statusBar() {
        return styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.WHITE).background(AttributedStyle.BLUE));
    }

    public AttributedStyle prompt() {
        return styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN).bold());
    }

    private AttributedStyle styled(AttributedStyle style) {
        return mode == ColorMode.COLOR ? style : AttributedStyle.DEFAULT;
    }
}
