package dev.huddle.common.db;

import java.util.Objects;

/** A database user name and password. {@link #toString()} never shows the password. */
public record DbCredentials(String user, String password) {
    public DbCredentials {
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(password, "password == null");
    }

    @Override
    public String toString() {
        return "DbCredentials[user=" + user + ", password=***]";
    }
}
