/**
 * Everything p2pchat needs to keep secrets and identities: X.509 identities, TLS 1.3 contexts,
 * certificate pinning (no certificate authorities are involved anywhere), trust-on-first-use
 * storage of registry fingerprints, password digests and their Argon2id storage, and the
 * registry's signed session tokens.
 *
 * <p>Only the JDK's own providers (SunJSSE, SunEC, SUN) are used at run time. Bouncy Castle
 * serves as a library (certificate building, PEM, Argon2) and is never registered as a JCE
 * provider, because the application ships as a shaded, unsigned jar and signed-provider checks
 * would fail.
 */
package dev.p2pchat.security;
