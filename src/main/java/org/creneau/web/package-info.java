/**
 * The web pages, server-rendered with Thymeleaf and htmx: what a patient sees first. They use the
 * same public module APIs as the JSON API, so they obey the same access rules.
 */
package org.creneau.web;
