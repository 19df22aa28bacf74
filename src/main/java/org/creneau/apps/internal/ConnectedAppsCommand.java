package org.creneau.apps.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.creneau.apps.ConnectedApp;
import org.creneau.platform.Command;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.stereotype.Component;

/**
 * {@code apps register|grant|suspend|reactivate|resume|revoke|list}: what the platform admin and
 * organization admins do through the JSON API, for an operator at the server. It goes through the
 * same registry and grants, so the same checks run and the same events are published; registry
 * changes run as the platform, a grant's as the organization named with {@code --organization}.
 * Events name no actor: the command line has no account.
 *
 * <p>Exit codes: 0 done, 1 an id not found or a state that refuses the change, 2 bad input (one
 * line naming the option; nothing is written).
 */
@Component
class ConnectedAppsCommand implements Command {

    private static final String USAGE = """
            Usage: apps register --name NAME --contact EMAIL (--jwks-url URL | --jwks-file PATH) --scopes SCOPE,...
                   apps grant --app APP_ID_OR_CLIENT_ID --organization ORG_ID --scopes SCOPE,...
                              [--practitioners ID,...] [--contact-details]
                   apps suspend --app APP_ID_OR_CLIENT_ID | apps reactivate --app APP_ID_OR_CLIENT_ID
                   apps suspend|resume|revoke --grant GRANT_ID --organization ORG_ID
                   apps list [--organization ORG_ID]""";

    /** The API's field names, as the options that carry them here. */
    private static final Map<String, String> OPTION_OF_FIELD = Map.of(
            "name", "--name",
            "contact", "--contact",
            "jwksUrl", "--jwks-url",
            "jwks", "--jwks-file",
            "scopes", "--scopes",
            "practitionerIds", "--practitioners",
            "appId", "--app");

    private static final long MAX_JWKS_FILE_BYTES = 1_000_000;

    private final ConnectedAppRegistry registry;
    private final AppGrants grants;

    ConnectedAppsCommand(ConnectedAppRegistry registry, AppGrants grants) {
        this.registry = registry;
        this.grants = grants;
    }

    @Override
    public String name() {
        return "apps";
    }

    @Override
    public int run(List<String> arguments, PrintStream out) {
        String action = arguments.isEmpty() ? "" : arguments.get(0);
        List<String> rest = arguments.isEmpty() ? List.of() : arguments.subList(1, arguments.size());
        try {
            switch (action) {
                case "register" -> register(rest, out);
                case "grant" -> grant(rest, out);
                case "suspend" -> suspend(rest, out);
                case "reactivate" -> reactivate(rest, out);
                case "resume" -> changeGrant(Options.forGrant("resume", rest), out, grants::resume);
                case "revoke" -> changeGrant(Options.forGrant("revoke", rest), out, grants::revoke);
                case "list" -> list(rest, out);
                default -> {
                    out.println(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (BadOption e) {
            out.println(e.getMessage());
            return 2;
        } catch (InvalidInputException e) {
            out.println(OPTION_OF_FIELD.getOrDefault(e.field(), e.field()) + " " + e.getMessage());
            return 2;
        } catch (NotFoundException | ConflictException e) {
            out.println(e.getMessage());
            return 1;
        }
    }

    private void register(List<String> words, PrintStream out) {
        Options options = Options.parse(
                "register", words, Set.of("--name", "--contact", "--jwks-url", "--jwks-file", "--scopes"), Set.of());
        String name = options.required("--name");
        String contact = options.required("--contact");
        Optional<String> jwksUrl = options.optional("--jwks-url");
        Optional<String> jwksFile = options.optional("--jwks-file");
        if (jwksUrl.isPresent() == jwksFile.isPresent()) {
            throw new BadOption("give either --jwks-url or --jwks-file");
        }
        Map<String, Object> jwks = jwksFile.map(ConnectedAppsCommand::readJwks).orElse(null);
        List<String> scopes = options.list("--scopes");
        ConnectedApp app = registry.register(
                new ConnectedAppRegistry.Registration(name, contact, jwksUrl.orElse(null), jwks, scopes), null);
        out.println("app id     " + app.id());
        out.println("client id  " + app.clientId());
    }

    private void grant(List<String> words, PrintStream out) {
        Options options = Options.parse(
                "grant",
                words,
                Set.of("--app", "--organization", "--scopes", "--practitioners"),
                Set.of("--contact-details"));
        String appRef = options.required("--app");
        UUID organization = options.id("--organization");
        List<String> scopes = options.list("--scopes");
        List<UUID> practitioners = options.optional("--practitioners")
                .map(v -> options.ids("--practitioners"))
                .orElse(null);
        boolean contactDetails = options.given("--contact-details");
        ConnectedApp app = app(appRef);
        AppGrants.Grant grant = grants.grant(
                AppGrants.Grantor.platform(organization),
                new AppGrants.NewGrant(app.id(), null, scopes, practitioners, contactDetails));
        out.println("grant id  " + grant.id());
    }

    private void suspend(List<String> words, PrintStream out) {
        Options options = Options.parse("suspend", words, Set.of("--app", "--grant", "--organization"), Set.of());
        boolean wholeApp = options.given("--app");
        if (wholeApp == (options.given("--grant") || options.given("--organization"))) {
            throw new BadOption("give either --app, or --grant with --organization");
        }
        if (wholeApp) {
            ConnectedApp app = registry.suspend(app(options.required("--app")).id(), null);
            out.println("app " + app.id() + " " + app.status());
        } else {
            changeGrant(options, out, grants::suspend);
        }
    }

    private void reactivate(List<String> words, PrintStream out) {
        Options options = Options.parse("reactivate", words, Set.of("--app"), Set.of());
        ConnectedApp app = registry.reactivate(app(options.required("--app")).id(), null);
        out.println("app " + app.id() + " " + app.status());
    }

    private interface GrantChange {
        AppGrants.Grant apply(AppGrants.Grantor grantor, UUID grantId);
    }

    private void changeGrant(Options options, PrintStream out, GrantChange change) {
        UUID grantId = options.id("--grant");
        UUID organization = options.id("--organization");
        AppGrants.Grant grant = change.apply(AppGrants.Grantor.platform(organization), grantId);
        out.println("grant " + grant.id() + " " + grant.status());
    }

    private void list(List<String> words, PrintStream out) {
        Options options = Options.parse("list", words, Set.of("--organization"), Set.of());
        if (options.optional("--organization").isPresent()) {
            AppGrants.Grantor grantor = AppGrants.Grantor.platform(options.id("--organization"));
            List<AppGrants.Grant> all = everyPage(paging -> grants.list(grantor, paging));
            out.printf(
                    "%-36s  %-36s  %-9s  %-8s  %-15s  %s  %s%n",
                    "GRANT ID", "CLIENT ID", "STATUS", "AGENDAS", "CONTACT DETAILS", "SCOPES", "APP");
            for (AppGrants.Grant g : all) {
                out.printf(
                        "%-36s  %-36s  %-9s  %-8s  %-15s  %s  %s%n",
                        g.id(),
                        g.clientId(),
                        g.status(),
                        g.practitionerIds() == null
                                ? "all"
                                : String.valueOf(g.practitionerIds().size()),
                        g.contactDetails() ? "yes" : "no",
                        String.join(",", g.scopes()),
                        g.appName());
            }
            out.println(all.size() + (all.size() == 1 ? " grant." : " grants."));
        } else {
            List<ConnectedApp> all = everyPage(registry::list);
            out.printf("%-36s  %-36s  %-9s  %s  %s%n", "APP ID", "CLIENT ID", "STATUS", "SCOPES", "NAME");
            for (ConnectedApp app : all) {
                out.printf(
                        "%-36s  %-36s  %-9s  %s  %s%n",
                        app.id(), app.clientId(), app.status(), String.join(",", app.allowedScopes()), app.name());
            }
            out.println(all.size() + (all.size() == 1 ? " app." : " apps."));
        }
    }

    private static <T> List<T> everyPage(Function<Paging, Page<T>> read) {
        List<T> all = new ArrayList<>();
        for (int number = 0; ; number++) {
            Page<T> page = read.apply(new Paging(number, Paging.MAX_SIZE));
            all.addAll(page.items());
            if (page.items().isEmpty() || all.size() >= page.page().totalItems()) {
                return all;
            }
        }
    }

    /** By its id or its client id: an operator may have either at hand. */
    private ConnectedApp app(String idOrClientId) {
        Optional<ConnectedApp> found = Optional.empty();
        try {
            found = registry.byId(UUID.fromString(idOrClientId));
        } catch (IllegalArgumentException e) {
            // not an app id; maybe a client id
        }
        return found.or(() -> registry.byClientId(idOrClientId))
                .orElseThrow(() -> new NotFoundException("connected app"));
    }

    private static Map<String, Object> readJwks(String file) {
        Path path = Path.of(file);
        try {
            if (!Files.isRegularFile(path) || Files.size(path) > MAX_JWKS_FILE_BYTES) {
                throw new BadOption("--jwks-file must name a readable file of at most 1 MB");
            }
            return JSONObjectUtils.parse(Files.readString(path));
        } catch (IOException e) {
            throw new BadOption("--jwks-file must name a readable file of at most 1 MB");
        } catch (java.text.ParseException e) {
            throw new BadOption("--jwks-file must hold a JSON Web Key Set");
        }
    }

    /** Bad input on the command line, said in one line that names the option. */
    private static final class BadOption extends RuntimeException {
        BadOption(String message) {
            super(message);
        }
    }

    /** The options after the action: {@code --option value}, {@code --option=value} or a flag. */
    private static final class Options {

        private final Map<String, String> values = new LinkedHashMap<>();

        static Options parse(String action, List<String> words, Set<String> withValue, Set<String> flags) {
            Options options = new Options();
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                int equals = word.indexOf('=');
                String name = equals > 0 ? word.substring(0, equals) : word;
                String value = equals > 0 ? word.substring(equals + 1) : null;
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new BadOption(name + " takes no value");
                    }
                    value = "true";
                } else if (withValue.contains(name)) {
                    if (value == null) {
                        if (i + 1 == words.size() || words.get(i + 1).startsWith("--")) {
                            throw new BadOption(name + " needs a value");
                        }
                        value = words.get(++i);
                    }
                } else if (word.startsWith("--")) {
                    throw new BadOption(name + " is not an option of apps " + action);
                } else {
                    throw new BadOption("unexpected '" + word + "' after apps " + action);
                }
                if (options.values.putIfAbsent(name, value) != null) {
                    throw new BadOption(name + " is given twice");
                }
            }
            return options;
        }

        static Options forGrant(String action, List<String> words) {
            return parse(action, words, Set.of("--grant", "--organization"), Set.of());
        }

        Optional<String> optional(String name) {
            return Optional.ofNullable(values.get(name));
        }

        String required(String name) {
            return optional(name).orElseThrow(() -> new BadOption(name + " is required"));
        }

        /** Whether the option was given, with or without a value. */
        boolean given(String name) {
            return values.containsKey(name);
        }

        UUID id(String name) {
            return uuid(name, required(name));
        }

        /** Comma-separated values; blanks between commas are ignored. */
        List<String> list(String name) {
            return Arrays.stream(required(name).split(","))
                    .map(String::trim)
                    .filter(v -> !v.isEmpty())
                    .toList();
        }

        List<UUID> ids(String name) {
            return list(name).stream().map(v -> uuid(name, v)).toList();
        }

        private static UUID uuid(String name, String value) {
            try {
                if (value.length() == 36) {
                    return UUID.fromString(value);
                }
            } catch (IllegalArgumentException e) {
                // said below
            }
            throw new BadOption(name + " must be an id (a UUID), not '" + value + "'");
        }
    }
}
