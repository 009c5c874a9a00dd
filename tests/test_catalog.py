"""Catalog loading: the bundled catalog, located error records for broken files, layering."""

from __future__ import annotations

import re
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from credroi.catalog import (
    BUNDLED,
    CatalogError,
    UnknownCredentialError,
    UnknownRoleError,
    bundled_path,
    load_catalog,
    parse_catalog,
)

GOOD_ENTRY = """\
  - id: good-one
    name: Good
    issuer: X
    kind: certification
    fields: [cloud]
    study: {weeks: 4, hours_per_week: 5}
    recognition: 0.5
    salary_uplift: {low: 0, typical: 0.05, high: 0.1}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(CatalogError) as info:
        parse_catalog(textwrap.dedent(text), "c.yaml")
    return [str(p) for p in info.value.problems]


REQUIRED_IDS = [
    "aws-ccp",
    "aws-saa",
    "aws-sap",
    "aws-dva",
    "az-900",
    "az-104",
    "az-305",
    "gcp-ace",
    "gcp-pca",
    "comptia-a-plus",
    "comptia-network-plus",
    "comptia-security-plus",
    "comptia-cysa-plus",
    "cissp",
    "cism",
    "cisa",
    "ceh",
    "ccna",
    "pmp",
    "capm",
    "cka",
    "ckad",
    "terraform-associate",
    "itil-4-foundation",
    "psm-i",
    "csm",
    "rhcsa",
    "salesforce-admin",
    "google-it-support",
    "google-data-analytics",
    "google-project-management",
    "google-ux-design",
    "google-cybersecurity",
    "ibm-data-science",
    "meta-front-end",
    "mitx-scm-micromasters",
    "mitx-sds-micromasters",
    "hubspot-inbound",
    "freecodecamp-responsive-web-design",
]


def test_bundled_catalog_has_the_promised_coverage() -> None:
    """30+ certifications, 20+ micro-credentials, 6+ fields, and every id the docs refer to."""
    cat = load_catalog()
    kinds = Counter(e.kind for e in cat.entries.values())
    assert kinds["certification"] >= 30
    assert kinds["micro-credential"] >= 20
    assert len({f for e in cat.entries.values() for f in e.fields}) >= 6
    assert sorted(set(REQUIRED_IDS) - set(cat.entries)) == []
    assert cat.currency == "USD"


def test_bundled_prerequisites_and_issuer_rules() -> None:
    """Facts the issue pins down: AZ-305 needs AZ-104; A+ costs both exams; CISSP asks 5 years."""
    cat = load_catalog()
    assert cat.get("az-305").requires == ["az-104"]
    assert cat.get("comptia-a-plus").cost.exam_fee == 530  # 2 x $265 (V15 220-1201/1202), catalog audit 2026-11
    assert cat.get("cissp").experience_years == 5
    assert cat.get("cissp").cost.exam_fee == 699
    assert cat.get("az-900").cost.exam_fee == 99
    assert cat.get("az-900").validity_years is None
    assert cat.get("az-104").validity_years == 1


def test_bundled_estimates_are_declared() -> None:
    """An entry citing an `estimate` source says so in its notes."""
    for entry in load_catalog().entries.values():
        if any(s.evidence == "estimate" for s in entry.sources):
            assert entry.notes is not None
            assert "estimate" in entry.notes.lower(), entry.id


def test_every_bundled_entry_is_sourced_and_dated() -> None:
    """Each bundled entry has an as_of month and at least one source with an http(s) URL and a year."""
    for entry in load_catalog().entries.values():
        assert entry.as_of is not None, entry.id
        assert re.fullmatch(r"\d{4}-\d{2}", entry.as_of), entry.id
        assert entry.sources, entry.id
        for source in entry.sources:
            assert source.url.startswith(("http://", "https://")), entry.id
            assert 1990 <= source.year <= 2026, entry.id
        assert entry.notes, f"{entry.id}: estimates must be explained in notes"


def test_every_bundled_role_is_sourced_dated_and_from_the_reference() -> None:
    """Each bundled role has an SOC code, an as_of month, dated sources and notes; its median is the reference's.

    Where the sources read give no 25th and 75th percentiles, the role keeps low = typical = high =
    the median and its notes say so: a spread is never invented.
    """
    medians = {  # BLS OEWS May 2024 medians, /work/shared/reference/roles-and-outcomes.md, table 1a
        "it-support": ("15-1232", 60_340),
        "information-security-analyst": ("15-1212", 124_910),
        "network-admin": ("15-1244", 96_800),
        "software-developer": ("15-1252", 133_080),
        "data-scientist": ("15-2051", 112_590),
        "project-management-specialist": ("13-1082", 100_750),
    }
    entry_roles = {"it-support", "help-desk", "cloud-support", "soc-analyst", "data-analyst", "web-developer"}
    roles = load_catalog().roles
    assert len(roles) >= 15
    assert entry_roles <= set(roles)
    spread = 0
    for role_id, role in roles.items():
        assert role.soc, role_id
        if role_id in medians:
            assert (role.soc, role.salary.typical) == medians[role_id], role_id
        low, typical, high = role.salary.low, role.salary.typical, role.salary.high
        assert role.notes is not None
        if low == typical == high:
            assert "percentile" in role.notes, role_id  # says why there is no spread
        else:
            assert low < typical < high, role_id
            spread += 1
        assert role.as_of is not None
        assert re.fullmatch(r"\d{4}-\d{2}", role.as_of), role_id
        assert role.sources, role_id
        assert all("salary" in s.supports for s in role.sources if s.supports == ["salary"]), role_id
    assert spread >= 13  # BLS 25th and 75th percentiles where a source in reach gives them


def test_bundled_role_tags_and_experience() -> None:
    """Entries name the roles their sources say they prepare for, and carry the experience their issuers require."""
    cat = load_catalog()
    tagged = {i: e.roles for i, e in cat.entries.items() if e.roles}
    assert tagged["comptia-a-plus"] == ["it-support"]
    assert tagged["google-it-support"] == ["it-support"]
    assert tagged["comptia-cysa-plus"] == ["information-security-analyst"]
    assert tagged["google-cybersecurity"] == ["soc-analyst"]
    for cred_id in tagged:
        entry = cat.get(cred_id)
        assert any("roles" in s.supports for s in entry.sources), cred_id  # a source says so
        assert entry.level != "expert", cred_id  # a newcomer's credential
    for cred_id, years in {"cissp": 5, "cism": 5, "cisa": 5, "pmp": 3, "ceh": 2, "ccsp": 5}.items():
        assert cat.get(cred_id).experience_years == years, cred_id
    assert any("cissp-professional-experience" in s.url for s in cat.get("cissp").sources)
    assert any("prepcast" in s.url for s in cat.get("pmp").sources)
    assert cat.credential("google-it-support").roles == ("it-support",)


def test_top_level_data_file_is_the_bundled_catalog() -> None:
    """data/credentials.yaml at the top of the repository is the packaged file."""
    top = Path(__file__).resolve().parent.parent / "data" / "credentials.yaml"
    assert top.read_text(encoding="utf-8") == bundled_path().read_text(encoding="utf-8")


def test_errors_name_line_field_and_rule() -> None:
    """All problems of a file are reported at once, each as path:LINE: loc: message."""
    found = problems(
        """\
        credentials:
          - id: Bad Id
            name: ""
            issuer: X
            kind: cert
            fields: []
            cost: {exam_fee: -5, exam_fees: 3}
            study: {weeks: .nan, hours_per_week: 5}
            recognition: 1.5
            salary_uplift: {low: 0.2, typical: 0.05, high: 0.1}
        """
    )
    assert found == [
        "c.yaml:2: credentials[0].id: must be a slug: lowercase letters, digits and hyphens, "
        "not starting with a hyphen",
        "c.yaml:3: credentials[0].name: must not be empty",
        "c.yaml:5: credentials[0].kind: must be one of: certification or micro-credential",
        "c.yaml:6: credentials[0].fields: must have at least 1 item",
        "c.yaml:7: credentials[0].cost.exam_fee: must be >= 0",
        "c.yaml:7: credentials[0].cost.exam_fees: unknown field (did you mean `exam_fee`?)",
        "c.yaml:8: credentials[0].study.weeks: must be a finite number, not NaN or infinity",
        "c.yaml:9: credentials[0].recognition: must be <= 1",
        "c.yaml:10: credentials[0].salary_uplift: must satisfy low <= typical <= high",
    ]


def test_missing_field_points_at_its_entry() -> None:
    """A missing required field is reported at the line of the entry that lacks it."""
    found = problems("credentials:\n" + GOOD_ENTRY.replace("    recognition: 0.5\n", ""))
    assert found == ["c.yaml:2: credentials[0].recognition: is required"]


def test_strings_are_not_numbers() -> None:
    """A quoted number or a boolean is not accepted where a number is expected."""
    found = problems("credentials:\n" + GOOD_ENTRY.replace("weeks: 4", 'weeks: "4"'))
    assert found == ["c.yaml:7: credentials[0].study.weeks: must be a number"]


def test_duplicate_ids_name_both_lines() -> None:
    """Two entries with one id: the second is reported with the line of the first."""
    found = problems("credentials:\n" + GOOD_ENTRY + GOOD_ENTRY)
    assert found == ["c.yaml:10: credentials[1].id: duplicate id `good-one` (first at line 2)"]


def test_duplicate_keys_are_errors() -> None:
    """A key given twice in one mapping is an error, not a silent overwrite."""
    found = problems("credentials:\n" + GOOD_ENTRY + "    recognition: 0.9\n")
    assert found == ["c.yaml:10: credentials[0].recognition: duplicate key (first at line 8)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "c.yaml: is empty: expected a mapping with a `credentials` list"),
        ("# only a comment\n", "c.yaml: is empty: expected a mapping with a `credentials` list"),
        ("- a\n- b\n", "c.yaml:1: the top level must be a mapping with a `credentials` list"),
        ("credentials: [\n", "c.yaml:2: invalid YAML: did not find expected node content (while parsing a flow node)"),
        ("currency: usd\ncredentials: []\n", "c.yaml:1: currency: must be an ISO 4217 code such as USD"),
        ("credentials: []\nversion: 2\n", "c.yaml:2: version: unknown field"),
        ("credential: []\n", "c.yaml:1: credential: unknown field (did you mean `credentials`?)"),
    ],
)
def test_broken_files_give_one_clear_line(text: str, expected: str) -> None:
    """Empty files, wrong top levels, syntax errors and unknown keys each give a located message."""
    assert expected in problems(text)


def test_python_tags_are_refused() -> None:
    """Safe YAML only: a !!python/object tag is an error, never constructed."""
    found = problems("credentials:\n  - !!python/object/apply:os.system ['echo hi']\n")
    assert len(found) == 1
    assert found[0].startswith("c.yaml:2: tag `!!python/")


def test_alias_bomb_is_refused_quickly() -> None:
    """A billion-laughs catalog is refused within a second instead of expanding."""
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("credentials: *j")
    start = time.perf_counter()
    found = problems("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert found == ["c.yaml:1: expands to more than 1,000,000 values (too many aliases?)"]


def test_file_problems(tmp_path: Path) -> None:
    """Missing files, directories, binary and non-UTF-8 files are reported by name."""
    missing = tmp_path / "nope.yaml"
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"credentials:\x00\x01")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"credentials: []\n# caf\xe9\n")
    with pytest.raises(CatalogError) as info:
        load_catalog([str(missing), str(tmp_path), str(binary), str(latin)])
    assert [str(p) for p in info.value.problems] == [
        f"{missing}: no such file",
        f"{tmp_path}: is a directory, not a catalog file",
        f"{binary}: is binary, not a YAML text file",
        f"{latin}:2: is not valid UTF-8 text",
    ]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark and Windows line ends load like a plain file."""
    path = tmp_path / "win.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + ("credentials:\n" + GOOD_ENTRY).replace("\n", "\r\n").encode())
    assert list(load_catalog([str(path)]).entries) == ["good-one"]


def test_later_catalogs_override_by_id(tmp_path: Path) -> None:
    """Layered catalogs: a later file adds entries and replaces an entry with the same id."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "credentials:\n"
        + GOOD_ENTRY.replace("good-one", "aws-saa").replace("name: Good", "name: Corrected")
        + GOOD_ENTRY,
        encoding="utf-8",
    )
    cat = load_catalog([BUNDLED, str(mine)])
    assert cat.entries["aws-saa"].name == "Corrected"
    assert "good-one" in cat.entries
    assert "cissp" in cat.entries
    alone = load_catalog([str(mine)])
    assert sorted(alone.entries) == ["aws-saa", "good-one"]


def test_unknown_requires_is_an_error(tmp_path: Path) -> None:
    """A prerequisite id that no catalog defines is reported at its file and line, with a suggestion."""
    path = tmp_path / "req.yaml"
    path.write_text("credentials:\n" + GOOD_ENTRY + "    requires: [good-on]\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog([str(path)])
    assert [str(p) for p in info.value.problems] == [
        f"{path}:10: credentials[0].requires[0]: unknown credential `good-on` (did you mean `good-one`?)"
    ]


def test_unknown_id_suggests_close_ids() -> None:
    """Looking up a misspelt id raises with the close matches."""
    cat = load_catalog()
    with pytest.raises(UnknownCredentialError) as info:
        cat.get("aws-sa")
    assert "aws-saa" in info.value.suggestions


def test_records_give_the_same_credentials_as_entries() -> None:
    """The cache path (records -> Credential, positional) equals the pydantic path for every entry."""
    from credroi.catalog import credential_from_record

    for entry in load_catalog(cache=False).entries.values():
        assert credential_from_record(entry.model_dump(mode="json")) == entry.to_credential()


ROLES = """\
roles:
  - id: it-support
    name: Computer user support specialist
    soc: 15-1232
    salary: {low: 47000, typical: 60340, high: 77000}
    as_of: 2026-11
  - id: network-admin
    name: Network admin
    salary: {low: 90000, typical: 96800, high: 100000}
"""


def test_roles_layer_by_id_like_credentials(tmp_path: Path) -> None:
    """A later file replaces a role with the same id and adds new ones; a file may hold only roles."""
    first = tmp_path / "first.yaml"
    first.write_text(ROLES, encoding="utf-8")
    second = tmp_path / "second.yaml"
    second.write_text(
        "roles:\n"
        "  - id: network-admin\n"
        "    name: Corrected\n"
        "    salary: {low: 1, typical: 2, high: 3}\n"
        "  - id: data-scientist\n"
        "    name: Data scientist\n"
        "    salary: {low: 112590, typical: 112590, high: 112590}\n",
        encoding="utf-8",
    )
    cat = load_catalog([str(first), str(second)])
    assert list(cat.roles) == ["it-support", "network-admin", "data-scientist"]
    assert cat.roles["network-admin"].name == "Corrected"
    assert cat.role("network-admin").salary_typical == 2
    assert cat.role_origins["network-admin"].path == str(second)
    assert cat.role_origins["it-support"].path == str(first)
    assert cat.role_origins["it-support"].line == 2
    assert cat.entries == {}
    assert list(load_catalog([str(first)]).roles) == ["it-support", "network-admin"]


def test_role_lookup_gives_the_model_role() -> None:
    """`role(id)` is the model's Role of the schema's role, the same as Role.to_role()."""
    cat = parse_catalog(ROLES, "c.yaml")
    role = cat.role("it-support")
    assert role == cat.roles["it-support"].to_role()
    assert (role.salary_low, role.salary_typical, role.salary_high) == (47000, 60340, 77000)
    assert role.soc == "15-1232"
    assert role.as_of == "2026-11"
    assert role.experience_years is None
    assert list(cat.model_roles()) == ["it-support", "network-admin"]


def test_unknown_role_suggests_close_ids() -> None:
    """Looking up a misspelt role raises a KeyError with the close role ids."""
    cat = parse_catalog(ROLES, "c.yaml")
    with pytest.raises(UnknownRoleError) as info:
        cat.role("it-suport")
    assert isinstance(info.value, KeyError)
    assert info.value.role_id == "it-suport"
    assert info.value.suggestions == ["it-support"]
    with pytest.raises(UnknownRoleError) as info:
        cat.role("astronaut")
    assert info.value.suggestions == []


def test_records_give_the_same_roles_as_the_schema() -> None:
    """The cache path (records -> model Role) equals Role.to_role(), and the cache header names the schema's fields."""
    from credroi.catalog import role_from_record
    from credroi.catalog.load import ROLE_FIELDS
    from credroi.catalog.schema import Role

    assert tuple(Role.model_fields) == ROLE_FIELDS
    cat = parse_catalog(ROLES, "c.yaml")
    for role in cat.roles.values():
        assert role_from_record(role.model_dump(mode="json")) == role.to_role()


def test_an_entry_must_name_known_roles(tmp_path: Path) -> None:
    """An entry's `roles` id that no catalog defines is an error at its file and line, with a suggestion."""
    path = tmp_path / "c.yaml"
    path.write_text(ROLES + "credentials:\n" + GOOD_ENTRY + "    roles: [network-admin, it-suport]\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog([str(path)])
    assert [str(p) for p in info.value.problems] == [
        f"{path}:19: credentials[0].roles[1]: unknown role `it-suport` (did you mean `it-support`?)"
    ]


def test_an_entry_may_name_a_role_of_another_file(tmp_path: Path) -> None:
    """Roles are checked against the merged catalog: a role defined in an earlier file is known."""
    roles = tmp_path / "roles.yaml"
    roles.write_text(ROLES, encoding="utf-8")
    entries = tmp_path / "entries.yaml"
    entries.write_text("credentials:\n" + GOOD_ENTRY + "    roles: [it-support]\n", encoding="utf-8")
    cat = load_catalog([str(roles), str(entries)])
    assert cat.credential("good-one").roles == ("it-support",)
    assert cat.origins["good-one"].roles_lines == (10,)
    with pytest.raises(CatalogError) as info:
        load_catalog([str(entries)])  # alone, the role is unknown
    assert [p.loc for p in info.value.problems] == ["credentials[0].roles[0]"]


def test_roles_of_a_broken_file_still_count(tmp_path: Path) -> None:
    """A file that fails validation still defines its role ids (no false alarm) and has its entries' roles checked."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        ROLES.replace("typical: 96800", "typical: lots")
        + "credentials:\n"
        + GOOD_ENTRY
        + "    roles: [netwrk-admin]\n",
        encoding="utf-8",
    )
    entries = tmp_path / "entries.yaml"
    entries.write_text(
        "credentials:\n" + GOOD_ENTRY.replace("good-one", "other") + "    roles: [it-support]\n", encoding="utf-8"
    )
    with pytest.raises(CatalogError) as info:
        load_catalog([str(broken), str(entries)])
    assert [str(p) for p in info.value.problems] == [
        f"{broken}:9: roles[1].salary.typical: must be a number",
        f"{broken}:19: credentials[0].roles[0]: unknown role `netwrk-admin` (did you mean `network-admin`?)",
    ]


def test_duplicate_role_ids_name_both_lines() -> None:
    """Two roles with one id in a file are an error; a role may share an id with a credential."""
    assert problems(ROLES + ROLES.removeprefix("roles:\n")) == [
        "c.yaml:10: roles[2].id: duplicate id `it-support` (first at line 2)",
        "c.yaml:15: roles[3].id: duplicate id `network-admin` (first at line 7)",
    ]
    both = parse_catalog(ROLES + "credentials:\n" + GOOD_ENTRY.replace("good-one", "it-support"), "c.yaml")
    assert list(both.roles) == ["it-support", "network-admin"]
    assert both.ids == ["it-support"]


def test_audit_warns_about_roles_without_sources_or_too_old() -> None:
    """Validation warnings cover roles as they do entries: no sources, or a figure whose newest source is too old."""
    from credroi.catalog import audit

    dated = ROLES.replace(
        "    as_of: 2026-11\n",
        "    as_of: 2026-11\n    sources:\n"
        "      - {title: OEWS, url: 'https://bls.gov', year: 2024, evidence: survey, supports: [salary]}\n",
    )
    cat = parse_catalog(dated, "c.yaml")
    warnings = [str(p) for p in audit(cat, (2029, 11), 24)]
    assert warnings == [
        "c.yaml:2: roles[0].salary: `it-support` salary: its newest source is from 2024, "
        "at least 59 months old, older than --max-age 24",
        "c.yaml:9: roles[1].sources: `network-admin` has no sources: its figures cannot be traced",
    ]
    assert [str(p) for p in audit(cat, (2029, 11), 59)] == [warnings[1]]


SOURCED = """\
credentials:
  - id: dated
    name: Dated
    issuer: X
    kind: certification
    fields: [cloud]
    cost: {exam_fee: 100, training: 50}
    study: {weeks: 4, hours_per_week: 5}
    validity_years: 3
    renewal_cost: 50
    recognition: 0.5
    salary_uplift: {low: 0, typical: 0.05, high: 0.1}
    as_of: 2026-11
    estimates: [study]
    sources:
      - {title: Fees, url: "https://x.org/f", year: 2026, evidence: issuer, supports: [cost.exam_fee, validity_years]}
      - {title: Old, url: "https://x.org/old", year: 2019, evidence: survey, supports: [salary_uplift, cost]}
      - {title: Policy, url: "https://x.org/p", year: 2025, evidence: issuer, supports: [recognition, pass_rate]}
"""


def _figure_warnings(text: str, max_age: int = 36) -> dict[str, str]:
    from credroi.catalog import audit

    cat = parse_catalog(text, "c.yaml")
    return {p.loc.split(".", 1)[1]: p.message for p in audit(cat, (2026, 11), max_age)}


def test_each_figure_is_dated_by_its_newest_supporting_source() -> None:
    """The fee has a 2026 source, the training only a 2019 one (through the `cost` group), the uplift 2019;
    the renewal cost has no source; the study time is an estimate, dated by `as_of`."""
    warnings = _figure_warnings(SOURCED)
    assert set(warnings) == {"cost.training", "salary_uplift", "renewal_cost"}
    assert warnings["salary_uplift"] == (
        "`dated` salary_uplift: its newest source is from 2019, at least 83 months old, older than --max-age 36"
    )
    assert "no source supports it" in warnings["renewal_cost"]
    assert set(_figure_warnings(SOURCED, max_age=100)) == {"renewal_cost"}


def test_a_source_without_supports_supports_every_figure_of_its_entry() -> None:
    """Catalogs written before `supports` existed keep working: such a source dates every figure."""
    text = SOURCED.replace(", supports: [salary_uplift, cost]", "")
    warnings = _figure_warnings(text)
    assert set(warnings) == {"cost.training", "salary_uplift", "renewal_cost"}
    assert "its newest source is from 2019" in warnings["renewal_cost"]  # was: no source supports it
    older = text.replace("year: 2026", "year: 2020").replace("year: 2025", "year: 2020")
    assert set(_figure_warnings(older)) == {
        "cost.exam_fee",
        "cost.training",
        "pass_rate",
        "validity_years",
        "renewal_cost",
        "recognition",
        "salary_uplift",
    }  # the study time is an estimate, dated by as_of


def test_supports_names_only_figures() -> None:
    """A misspelt figure in `supports` is an error at its place, for entries and roles alike."""
    (problem,) = problems(SOURCED.replace("supports: [recognition, pass_rate]", "supports: [recognitoin]"))
    assert problem.startswith("c.yaml:18: credentials[0].sources[2].supports[0]: ")
    assert "recognition" in problem
    role = ROLES.replace(
        "    as_of: 2026-11\n",
        "    as_of: 2026-11\n    sources:\n"
        "      - {title: OEWS, url: 'https://bls.gov', year: 2024, evidence: survey, supports: [cost]}\n",
    )
    (problem,) = problems(role)
    assert "roles[0].sources[0].supports[0]" in problem


def test_dates_after_today_are_errors() -> None:
    """An `as_of` month or a source year after today is a typo or a guess: `catalog validate` refuses it."""
    from credroi.catalog import future_dates

    cat = parse_catalog(SOURCED, "c.yaml")
    assert future_dates(cat, (2026, 11)) == []
    found = [str(p) for p in future_dates(cat, (2026, 10))]
    assert found == ["c.yaml:13: credentials[0].as_of: `dated` is dated 2026-11, after today (2026-10)"]
    found = [str(p) for p in future_dates(cat, (2025, 12))]
    assert len(found) == 2
    assert found[1] == (
        "c.yaml:2: credentials[0].sources[0].year: `dated` cites a source from 2026, after this year (2025)"
    )


def test_every_bundled_figure_is_supported_or_an_estimate() -> None:
    """The bundled catalog names, for every source, the figures it supports, and leaves no figure untraced."""
    from credroi.catalog import audit

    cat = load_catalog(cache=False)
    for rec in [*cat.records.values(), *cat.role_records.values()]:
        for src in rec["sources"]:
            assert src["supports"], (rec["id"], src["title"])
    untraced = [str(p) for p in audit(cat, (2026, 11), 10_000) if "no source" in p.message]
    assert untraced == []
