package org.creneau.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.attoparser.ParseException;
import org.attoparser.config.ParseConfiguration;
import org.attoparser.dom.DOMMarkupParser;
import org.attoparser.dom.Element;
import org.attoparser.dom.INestableNode;
import org.attoparser.dom.INode;
import org.attoparser.dom.Text;

/** A page's HTML read in tests over plain HTTP (attoparser, already Thymeleaf's): elements by tag and class. */
record Html(INestableNode node) {

    static Html parse(String html) {
        try {
            return new Html(new DOMMarkupParser(ParseConfiguration.htmlConfiguration()).parse(html));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Elements below, named {@code tag} (any when null) and holding the class {@code css} (any when null). */
    List<Html> all(String tag, String css) {
        List<Html> found = new ArrayList<>();
        collect(
                node,
                e -> (tag == null || e.getElementName().equals(tag))
                        && (css == null || classes(e).contains(css)),
                found);
        return found;
    }

    Html first(String tag, String css) {
        List<Html> found = all(tag, css);
        return found.isEmpty() ? null : found.get(0);
    }

    String attr(String name) {
        return node instanceof Element e ? e.getAttributeValue(name) : null;
    }

    /** The text inside, whitespace collapsed. */
    String text() {
        StringBuilder text = new StringBuilder();
        text(node, text);
        return text.toString().replaceAll("\\s+", " ").strip();
    }

    private static List<String> classes(Element e) {
        String value = e.getAttributeValue("class");
        return value == null ? List.of() : List.of(value.split("\\s+"));
    }

    private static void collect(INestableNode parent, Predicate<Element> wanted, List<Html> found) {
        for (INode child : parent.getChildren()) {
            if (child instanceof Element e) {
                if (wanted.test(e)) {
                    found.add(new Html(e));
                }
                collect(e, wanted, found);
            }
        }
    }

    private static void text(INestableNode parent, StringBuilder into) {
        for (INode child : parent.getChildren()) {
            if (child instanceof Text t) {
                into.append(t.getContent());
            } else if (child instanceof INestableNode n) {
                into.append(' ');
                text(n, into);
            }
        }
    }
}
