/**
 * The studio: server-rendered pages (Thymeleaf, htmx) over the same services as the JSON API,
 * signed in by a cookie that carries an ordinary sign-in token, in a security filter chain of its
 * own with CSRF protection. Nothing here decides a rule: every check is the services' own.
 */
@NullMarked
package dev.phork.studio;

import org.jspecify.annotations.NullMarked;
