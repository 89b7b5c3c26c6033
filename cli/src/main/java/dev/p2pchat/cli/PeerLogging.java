package dev.p2pchat.cli;

import java.nio.file.Path;

import org.slf4j.LoggerFactory;

import dev.p2pchat.cli.files.PrivateFiles;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;

/**
 * Points logging away from the chat: everything at INFO and above goes to {@code peer.log} in the data
 * dir; in line mode warnings also go to stderr (stdout carries the chat), in the terminal UI nothing is
 * printed, since a log line would tear through what the user is typing.
 */
final class PeerLogging {

    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";

    private PeerLogging() {}

    static void configure(Path logFile, boolean warningsToStderr) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: leave it alone
        }
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);

        // Created 0600 (in a 0700 dir) before Logback opens it, so the umask cannot make the log readable.
        PrivateFiles.secure(logFile);
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("peer-log");
        file.setFile(logFile.toString());
        file.setAppend(true);
        file.setEncoder(encoder(context));
        file.start();
        root.addAppender(file);

        if (warningsToStderr) {
            ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
            stderr.setContext(context);
            stderr.setName("stderr");
            stderr.setTarget("System.err");
            stderr.setEncoder(encoder(context));
            ThresholdFilter warn = new ThresholdFilter();
            warn.setLevel(Level.WARN.toString());
            warn.setContext(context);
            warn.start();
            stderr.addFilter(warn);
            stderr.start();
            root.addAppender(stderr);
        }
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }
}
