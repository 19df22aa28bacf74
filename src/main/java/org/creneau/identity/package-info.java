/** Identity: accounts, passwords, login and the session's principal. */
package org.creneau.identity;
