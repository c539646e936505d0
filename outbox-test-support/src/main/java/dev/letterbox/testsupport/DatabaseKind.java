package dev.letterbox.testsupport;

/** The database products a {@link DatabaseServer} can be. */
public enum DatabaseKind {
    /** PostgreSQL (JDBC scheme {@code jdbc:postgresql:}). */
    POSTGRES,
    /** MariaDB, or MySQL through the MariaDB driver (JDBC scheme {@code jdbc:mariadb:}). */
    MARIADB
}
