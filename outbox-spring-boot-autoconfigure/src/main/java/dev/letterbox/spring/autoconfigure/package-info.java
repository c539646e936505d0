/** Spring Boot auto-configuration of Letterbox; applications do not refer to it directly. */
package dev.letterbox.spring.autoconfigure;
