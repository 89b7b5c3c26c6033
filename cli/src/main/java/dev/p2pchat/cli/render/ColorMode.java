package dev.p2pchat.cli.render;

/**
 * Whether output is styled. In {@link #NO_COLOR} mode nothing is styled and message text is shown
 * verbatim (after sanitising), markup characters included: without styling, removing the markers
 * would lose meaning ({@code *not*} would read as a plain "not").
 */
public enum ColorMode {
    COLOR,
    NO_COLOR;

    /**
     * Follows https://no-color.org: colour is off when {@code --no-color} was given or the
     * {@code NO_COLOR} environment variable is set to a non-empty value. The caller reads the
     * environment, so this stays a pure function.
     */
    public static ColorMode from(boolean noColorFlag, String noColorEnvironmentValue) {
        boolean envSaysNo = noColorEnvironmentValue != null && !noColorEnvironmentValue.isEmpty();
        return noColorFlag || envSaysNo ? NO_COLOR : COLOR;
    }
}
