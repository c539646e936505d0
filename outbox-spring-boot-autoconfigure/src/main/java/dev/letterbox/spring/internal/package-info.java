/** Implementation of the Spring Boot integration; not an API, may change in any release. */
package dev.letterbox.spring.internal;
