package dev.p2pchat.cli.session;

/**
 * Supplies a password the user left off a command ({@code /login alice}): asked without echo in the
 * terminal, read from {@code --password-file}, or refused in line mode. The caller wipes the array.
 */
@FunctionalInterface
public interface PasswordSource {

    /** @param newAccount true for /register, where an interactive source asks twice */
    char[] password(String username, boolean newAccount) throws UserError;

    /** The source for line mode without a password file: there is nobody to ask. */
    static PasswordSource none() {
        return (username, newAccount) -> {
            throw new UserError("no password given: type the command with the password, or start with --password-file");
        };
    }
}
