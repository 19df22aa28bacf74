package org.creneau.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.attoparser.ParseException;
import org.attoparser.config.ParseConfiguration;
import org.attoparser.dom.DOMMarkupParser;
import org.attoparser.dom.Element;
import org.attoparser.dom.INestableNode;
import org.attoparser.dom.INode;
import org.attoparser.dom.Text;
import org.junit.jupiter.api.Test;

/**
 * Every word a patient reads comes from the message bundles: no template of the patients' pages
 * holds literal text (a text node or a readable attribute not replaced by {@code th:*}), and every
 * key exists in both French and English.
 */
class PageTextTests {

    static final Path TEMPLATES = Path.of("src/main/resources/templates");

    /** Templates not yet moved to the bundles: none left. A new template is checked unless it is added here. */
    static final Set<String> NOT_YET_TRANSLATED = Set.of();

    /**
     * Not pages: the incident report's files, written for the platform's team and the CNIL in French
     * (the letters to patients are one template per language). Served nowhere, so no skip link either.
     */
    static final Set<String> REPORT_DOCUMENTS = Set.of("incident/");

    /** Elements whose content Thymeleaf replaces: the text inside is the designer's sample only. */
    static final Set<String> REPLACING = Set.of("th:text", "th:utext", "th:replace", "th:insert", "th:remove");

    static final Set<String> READABLE_ATTRIBUTES = Set.of("title", "alt", "placeholder", "aria-label", "value");

    @Test
    void patientPagesHoldNoLiteralText() throws IOException, ParseException {
        List<String> literals = new ArrayList<>();
        List<Path> templates = patientTemplates();
        assertThat(templates)
                .extracting(p -> p.getFileName().toString())
                .contains("booking.html", "home.html", "connexion.html", "grants.html", "home.html");
        for (Path template : templates) {
            INestableNode document =
                    new DOMMarkupParser(ParseConfiguration.htmlConfiguration()).parse(Files.readString(template));
            walk(document, template.getFileName().toString(), literals);
        }
        assertThat(literals)
                .as("literal text in templates (use th:text=\"#{key}\")")
                .isEmpty();
    }

    @Test
    void everyPagesMainTakesTheSkipLinksFocus() throws IOException, ParseException {
        List<String> without = new ArrayList<>();
        // Every page, the patients' and the practices'; e-mail templates have no page of their own.
        for (Path template : patientTemplates().stream()
                .filter(p -> !TEMPLATES.relativize(p).startsWith("mail"))
                .toList()) {
            INestableNode document =
                    new DOMMarkupParser(ParseConfiguration.htmlConfiguration()).parse(Files.readString(template));
            List<Element> mains = new ArrayList<>();
            elements(document, "main", mains);
            // Fragments (layout.html) have no main of their own.
            if (!mains.isEmpty()
                    && !(mains.size() == 1
                            && "main".equals(mains.get(0).getAttributeValue("id"))
                            && "-1".equals(mains.get(0).getAttributeValue("tabindex")))) {
                without.add(TEMPLATES.relativize(template).toString());
            }
        }
        assertThat(without)
                .as("pages whose <main> is not <main id=\"main\" tabindex=\"-1\"> (the skip link's target)")
                .isEmpty();
    }

    @Test
    void theCheckFindsALiteralWord() throws ParseException {
        List<String> literals = new ArrayList<>();
        walk(
                new DOMMarkupParser(ParseConfiguration.htmlConfiguration())
                        .parse("<p>Bonjour <span th:text=\"#{a}\">x</span> — 12</p><input placeholder=\"Nom\">"),
                "sample",
                literals);
        assertThat(literals).containsExactly("sample: text \"Bonjour\"", "sample: placeholder=\"Nom\" on <input>");
    }

    @Test
    void everyKeyExistsInFrenchAndEnglish() throws IOException {
        Properties french = bundle("messages_fr.properties");
        Properties english = bundle("messages_en.properties");
        assertThat(french).isNotEmpty();
        Set<String> onlyFrench = new TreeSet<>(french.stringPropertyNames());
        onlyFrench.removeAll(english.stringPropertyNames());
        Set<String> onlyEnglish = new TreeSet<>(english.stringPropertyNames());
        onlyEnglish.removeAll(french.stringPropertyNames());
        assertThat(onlyFrench).as("keys missing in English").isEmpty();
        assertThat(onlyEnglish).as("keys missing in French").isEmpty();
    }

    private static List<Path> patientTemplates() throws IOException {
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            return files.filter(p -> p.toString().endsWith(".html"))
                    .filter(p -> NOT_YET_TRANSLATED.stream()
                            .noneMatch(TEMPLATES.relativize(p).toString()::startsWith))
                    .filter(p -> REPORT_DOCUMENTS.stream()
                            .noneMatch(TEMPLATES.relativize(p).toString()::startsWith))
                    .toList();
        }
    }

    private static void elements(INestableNode node, String name, List<Element> found) {
        for (INode child : node.getChildren()) {
            if (child instanceof Element element) {
                if (element.getElementName().equals(name)) {
                    found.add(element);
                }
                elements(element, name, found);
            }
        }
    }

    private static void walk(INestableNode node, String template, List<String> literals) {
        for (INode child : node.getChildren()) {
            if (child instanceof Text text) {
                String content = text.getContent().strip();
                // Punctuation, numbers and separators are no words to translate.
                if (content.codePoints().anyMatch(Character::isLetter)) {
                    literals.add(template + ": text \"" + content + "\"");
                }
            } else if (child instanceof Element element) {
                String name = element.getElementName();
                if (name.equals("script") || name.equals("style")) {
                    continue;
                }
                for (String attribute : READABLE_ATTRIBUTES) {
                    String value = element.getAttributeValue(attribute);
                    boolean readable =
                            !(attribute.equals("value") && !"submit".equals(element.getAttributeValue("type")));
                    if (readable && value != null && value.codePoints().anyMatch(Character::isLetter)) {
                        literals.add(template + ": " + attribute + "=\"" + value + "\" on <" + name + ">");
                    }
                }
                if (element.getAttributeMap().keySet().stream().noneMatch(REPLACING::contains)
                        && !(name.equals("th:block")
                                && element.getAttributeValue("th:if") != null
                                && element.getAttributeValue("th:if").equals("${false}"))) {
                    walk(element, template, literals);
                }
            }
        }
    }

    private static Properties bundle(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources", name))) {
            properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return properties;
    }
}
