package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaSettings;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.DirectoryAdministration.NewMotive;
import org.creneau.directory.DirectoryAdministration.NewPractitioner;
import org.creneau.directory.DirectoryAdministration.NewSite;
import org.creneau.directory.RppsNumber;
import org.creneau.support.ApiClient;
import org.creneau.support.FhirTestClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.SmartBackendClient;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Practice software reads the directory behind a practice's agendas (Organization, Location,
 * Practitioner, PractitionerRole, HealthcareService) with the real HAPI client, only within its
 * grant, each resource valid R4.
 */
@IntegrationTest
class FhirDirectoryTests {

    static final String ALL_SCOPES = "system/Organization.rs system/Location.rs system/Practitioner.rs"
            + " system/PractitionerRole.rs system/HealthcareService.rs";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    TenantScope scope;

    @Autowired
    DirectoryAdministration directory;

    @Autowired
    AgendaSettings agendaSettings;

    Practice practice;
    Practice other;
    IGenericClient fhir;

    /** Signed in once per test: a second factor is not accepted twice in the same time step. */
    ApiClient practiceAdmin;

    /** A registered app granted {@code scopes} by an organization admin, on the named agendas only if any. */
    record GrantedApp(SmartBackendClient client, String clientId) {}

    GrantedApp grantedApp(ApiClient orgAdmin, String scopes, List<UUID> practitionerIds) {
        SmartBackendClient app = new SmartBackendClient(port);
        List<String> scopeList = List.of(scopes.split(" "));
        String clientId = SignIn.platformAdmin(port, fixtures.platformAdmin())
                .post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Logiciel de cabinet",
                                "contact",
                                "securite@editeur.example",
                                "jwks",
                                app.publicJwks(),
                                "scopes",
                                scopeList))
                .text("clientId");
        Map<String, Object> grant =
                new HashMap<>(Map.of("clientId", clientId, "scopes", scopeList, "contactDetails", false));
        if (!practitionerIds.isEmpty()) {
            grant.put(
                    "practitionerIds",
                    practitionerIds.stream().map(UUID::toString).toList());
        }
        assertThat(orgAdmin.post("/api/v1/staff/connected-app-grants", grant).status())
                .isEqualTo(201);
        return new GrantedApp(app, clientId);
    }

    IGenericClient client(GrantedApp app, String scopes) {
        String token = app.client()
                .requestToken(
                        app.client()
                                .sign(
                                        app.client()
                                                .claims(app.clientId(), clock.instant())
                                                .build(),
                                        app.client().rsa),
                        scopes)
                .accessToken();
        assertThat(token).isNotNull();
        return FhirTestClient.withToken(port, token);
    }

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("cardiologue");
        other = fixtures.practice("cardiologue");
        practiceAdmin = SignIn.staff(port, practice.adminEmail());
        fhir = client(grantedApp(practiceAdmin, ALL_SCOPES, List.of()), ALL_SCOPES);
    }

    static <T extends Resource> List<T> entries(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(e -> type.cast(e.getResource())).toList();
    }

    static List<String> ids(List<? extends Resource> resources) {
        return resources.stream().map(r -> r.getIdElement().getIdPart()).toList();
    }

    static void assertValid(IBaseResource... resources) {
        for (IBaseResource resource : resources) {
            assertThat(FhirTestClient.errorsOf(resource))
                    .as(resource.fhirType())
                    .isEmpty();
        }
    }

    @Test
    void anAppReadsAndSearchesTheDirectoryOfItsGrantAndEveryResourceIsValidR4() {
        List<Organization> organizations = entries(
                fhir.search()
                        .forResource(Organization.class)
                        .returnBundle(Bundle.class)
                        .execute(),
                Organization.class);
        assertThat(ids(organizations)).containsExactly(practice.organizationId().toString());
        Organization organization = fhir.read()
                .resource(Organization.class)
                .withId(practice.organizationId().toString())
                .execute();
        assertThat(organization.getName()).startsWith("Cabinet test");

        List<Location> locations = entries(
                fhir.search()
                        .forResource(Location.class)
                        .returnBundle(Bundle.class)
                        .execute(),
                Location.class);
        assertThat(ids(locations)).containsExactly(practice.siteId().toString());
        Location location = fhir.read()
                .resource(Location.class)
                .withId(practice.siteId().toString())
                .execute();
        assertThat(location.getAddress().getPostalCode()).isEqualTo("75011");
        assertThat(location.getManagingOrganization().getReference())
                .isEqualTo("Organization/" + practice.organizationId());

        List<Practitioner> practitioners = entries(
                fhir.search()
                        .forResource(Practitioner.class)
                        .returnBundle(Bundle.class)
                        .execute(),
                Practitioner.class);
        assertThat(ids(practitioners)).containsExactly(practice.practitionerId().toString());
        Practitioner practitioner = fhir.read()
                .resource(Practitioner.class)
                .withId(practice.practitionerId().toString())
                .execute();
        assertThat(practitioner.getIdentifierFirstRep().getSystem()).isEqualTo("urn:oid:1.2.250.1.71.4.2.1");
        assertThat(new RppsNumber(practitioner.getIdentifierFirstRep().getValue()))
                .isNotNull();
        assertThat(practitioner.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Alex");

        Bundle roleBundle = fhir.search()
                .forResource(PractitionerRole.class)
                .where(PractitionerRole.PRACTITIONER.hasId("Practitioner/" + practice.practitionerId()))
                .returnBundle(Bundle.class)
                .execute();
        List<PractitionerRole> roles = entries(roleBundle, PractitionerRole.class);
        assertThat(roles).hasSize(1);
        PractitionerRole role = roles.get(0);
        assertThat(role.getOrganization().getReference()).isEqualTo("Organization/" + practice.organizationId());
        assertThat(role.getSpecialtyFirstRep().getCodingFirstRep().getCode()).isEqualTo("cardiologue");
        assertThat(role.getLocation())
                .extracting(r -> r.getReference())
                .containsExactly("Location/" + practice.siteId());
        assertThat(role.getHealthcareService())
                .extracting(r -> r.getReference())
                .containsExactly(
                        "HealthcareService/" + practice.motiveId(),
                        "HealthcareService/" + practice.followUpMotiveId(),
                        "HealthcareService/" + practice.phoneOnlyMotiveId());
        assertThat(fhir.search()
                        .forResource(PractitionerRole.class)
                        .where(PractitionerRole.PRACTITIONER.hasId("Practitioner/" + other.practitionerId()))
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .isEmpty();

        List<HealthcareService> services = entries(
                fhir.search()
                        .forResource(HealthcareService.class)
                        .where(HealthcareService.ORGANIZATION.hasId("Organization/" + practice.organizationId()))
                        .returnBundle(Bundle.class)
                        .execute(),
                HealthcareService.class);
        assertThat(services).extracting(HealthcareService::getName).containsExactly("Consultation", "Suivi", "Urgence");
        HealthcareService followUp = fhir.read()
                .resource(HealthcareService.class)
                .withId(practice.followUpMotiveId().toString())
                .execute();
        assertThat(((Duration) followUp.getExtensionByUrl("https://creneau.org/fhir/StructureDefinition/visit-duration")
                                .getValue())
                        .getValue())
                .isEqualByComparingTo("30");
        assertThat(((BooleanType) followUp.getExtensionByUrl(
                                        "https://creneau.org/fhir/StructureDefinition/new-patients-allowed")
                                .getValue())
                        .booleanValue())
                .isFalse();
        assertThat(((BooleanType) services.get(2)
                                .getExtensionByUrl("https://creneau.org/fhir/StructureDefinition/online-bookable")
                                .getValue())
                        .booleanValue())
                .isFalse();
        assertThat(fhir.search()
                        .forResource(HealthcareService.class)
                        .where(HealthcareService.ORGANIZATION.hasId("Organization/" + other.organizationId()))
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .isEmpty();

        assertValid(organization, location, practitioner, role, followUp, organizations.get(0), services.get(2));
    }

    @Test
    void anotherOrganizationsDirectoryEntriesAnswer404LikeMissingOnes() {
        Map<Class<? extends IBaseResource>, UUID> foreign = Map.of(
                Organization.class, other.organizationId(),
                Location.class, other.siteId(),
                Practitioner.class, other.practitionerId(),
                PractitionerRole.class, other.practitionerId(),
                HealthcareService.class, other.motiveId());
        for (var entry : foreign.entrySet()) {
            assertThatThrownBy(() -> fhir.read()
                            .resource(entry.getKey())
                            .withId(entry.getValue().toString())
                            .execute())
                    .as(entry.getKey().getSimpleName())
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> fhir.read()
                            .resource(entry.getKey())
                            .withId(UUID.randomUUID().toString())
                            .execute())
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThat(fhir.search()
                            .forResource(entry.getKey())
                            .where(IAnyResource.RES_ID
                                    .exactly()
                                    .code(entry.getValue().toString()))
                            .returnBundle(Bundle.class)
                            .execute()
                            .getEntry())
                    .as(entry.getKey().getSimpleName())
                    .isEmpty();
        }
        assertThat(fhir.search()
                        .forResource(Practitioner.class)
                        .where(IAnyResource.RES_ID
                                .exactly()
                                .code(practice.practitionerId().toString()))
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .hasSize(1);
    }

    @Test
    void anAgendaLimitedGrantHidesTheOrganizationsOtherPractitioners() {
        record Hidden(UUID practitioner, UUID site, UUID motive) {}
        Hidden hidden = scope.write(new Caller.System(practice.organizationId()), () -> {
            UUID org = practice.organizationId();
            UUID site = directory.createSite(
                    org, new NewSite("Annexe", "2 rue Cachée", "75012", "Testville", 48.84, 2.39, Fixtures.PARIS));
            UUID practitioner = directory.createPractitioner(
                    org,
                    new NewPractitioner(
                            "Camille",
                            "Cachée",
                            RppsNumber.withCheckDigit("2900000001"),
                            "cardiologue",
                            List.of("fr"),
                            true,
                            60,
                            90,
                            24));
            UUID motive =
                    directory.createMotive(org, practitioner, new NewMotive("Bilan", 45, true, true, null, null), 0);
            agendaSettings.addOpeningRange(
                    org,
                    new AgendaSettings.NewOpeningRange(
                            practitioner,
                            site,
                            DayOfWeek.MONDAY,
                            LocalTime.of(14, 0),
                            LocalTime.of(18, 0),
                            LocalDate.of(2026, 1, 1),
                            null,
                            List.of(motive)));
            return new Hidden(practitioner, site, motive);
        });
        IGenericClient limited =
                client(grantedApp(practiceAdmin, ALL_SCOPES, List.of(practice.practitionerId())), ALL_SCOPES);
        IGenericClient full = fhir;

        assertThat(ids(entries(
                        full.search()
                                .forResource(Practitioner.class)
                                .returnBundle(Bundle.class)
                                .execute(),
                        Practitioner.class)))
                .containsExactlyInAnyOrder(
                        practice.practitionerId().toString(),
                        hidden.practitioner().toString());
        assertThat(ids(entries(
                        limited.search()
                                .forResource(Practitioner.class)
                                .returnBundle(Bundle.class)
                                .execute(),
                        Practitioner.class)))
                .containsExactly(practice.practitionerId().toString());
        assertThat(ids(entries(
                        limited.search()
                                .forResource(PractitionerRole.class)
                                .returnBundle(Bundle.class)
                                .execute(),
                        PractitionerRole.class)))
                .containsExactly(practice.practitionerId().toString());
        assertThat(ids(entries(
                        limited.search()
                                .forResource(Location.class)
                                .returnBundle(Bundle.class)
                                .execute(),
                        Location.class)))
                .containsExactly(practice.siteId().toString());
        assertThat(ids(entries(
                        limited.search()
                                .forResource(HealthcareService.class)
                                .returnBundle(Bundle.class)
                                .execute(),
                        HealthcareService.class)))
                .hasSize(3)
                .doesNotContain(hidden.motive().toString());
        Map<Class<? extends IBaseResource>, UUID> hiddenEntries = Map.of(
                Location.class, hidden.site(),
                Practitioner.class, hidden.practitioner(),
                PractitionerRole.class, hidden.practitioner(),
                HealthcareService.class, hidden.motive());
        for (var entry : hiddenEntries.entrySet()) {
            assertThat(full.read()
                            .resource(entry.getKey())
                            .withId(entry.getValue().toString())
                            .execute())
                    .isNotNull();
            assertThatThrownBy(() -> limited.read()
                            .resource(entry.getKey())
                            .withId(entry.getValue().toString())
                            .execute())
                    .as(entry.getKey().getSimpleName())
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        assertThat(limited.read()
                        .resource(Organization.class)
                        .withId(practice.organizationId().toString())
                        .execute()
                        .getName())
                .startsWith("Cabinet test");
    }

    @Test
    void eachResourceNeedsItsScope() {
        GrantedApp app = grantedApp(SignIn.staff(port, other.adminEmail()), ALL_SCOPES, List.of());
        IGenericClient organizationOnly = client(app, "system/Organization.rs");
        assertThat(organizationOnly
                        .read()
                        .resource(Organization.class)
                        .withId(other.organizationId().toString())
                        .execute())
                .isNotNull();
        for (var type : List.of(Location.class, Practitioner.class, PractitionerRole.class, HealthcareService.class)) {
            assertThatThrownBy(() -> organizationOnly
                            .search()
                            .forResource(type)
                            .returnBundle(Bundle.class)
                            .execute())
                    .as(type.getSimpleName())
                    .isInstanceOf(ForbiddenOperationException.class);
        }
        IGenericClient rolesOnly = client(app, "system/PractitionerRole.rs");
        assertThat(rolesOnly
                        .read()
                        .resource(PractitionerRole.class)
                        .withId(other.practitionerId().toString())
                        .execute())
                .isNotNull();
        for (var type : List.of(Organization.class, Practitioner.class)) {
            assertThatThrownBy(() -> rolesOnly
                            .read()
                            .resource(type)
                            .withId(other.practitionerId().toString())
                            .execute())
                    .as(type.getSimpleName())
                    .isInstanceOf(ForbiddenOperationException.class);
        }
        IGenericClient practitionersOnly = client(app, "system/Practitioner.rs");
        assertThat(practitionersOnly
                        .read()
                        .resource(PractitionerRole.class)
                        .withId(other.practitionerId().toString())
                        .execute())
                .isNotNull();
    }

    @Test
    void aSearchReturnsAtMostFiftyWhateverTheCountAsked() {
        scope.write(new Caller.System(practice.organizationId()), () -> {
            for (int i = 0; i < 51; i++) {
                directory.createMotive(
                        practice.organizationId(),
                        practice.practitionerId(),
                        new NewMotive("Motif " + i, 15, false, true, null, null),
                        10 + i);
            }
        });
        List<HealthcareService> page = entries(
                fhir.search()
                        .forResource(HealthcareService.class)
                        .count(1000)
                        .returnBundle(Bundle.class)
                        .execute(),
                HealthcareService.class);
        assertThat(page).hasSize(50);
        List<String> names =
                new ArrayList<>(page.stream().map(HealthcareService::getName).toList());
        assertThat(names.subList(0, 4)).containsExactly("Consultation", "Suivi", "Urgence", "Motif 0");
        assertThat(fhir.search()
                        .forResource(HealthcareService.class)
                        .count(2)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .hasSize(2);
    }

    @Test
    void theCapabilityStatementListsTheDirectoryResourcesAndTheirSearchParameters() {
        CapabilityStatement capabilities =
                fhir.capabilities().ofType(CapabilityStatement.class).execute();
        Map<String, List<String>> searchParams = new HashMap<>();
        for (var resource : capabilities.getRestFirstRep().getResource()) {
            searchParams.put(
                    resource.getType(),
                    resource.getSearchParam().stream().map(p -> p.getName()).toList());
        }
        assertThat(searchParams)
                .containsKeys("Organization", "Location", "Practitioner", "PractitionerRole", "HealthcareService");
        assertThat(searchParams.get("PractitionerRole")).contains("_id", "practitioner");
        assertThat(searchParams.get("HealthcareService")).contains("_id", "organization");
        assertThat(searchParams.get("Practitioner")).contains("_id");
    }
}
