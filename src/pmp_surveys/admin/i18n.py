"""The admin UI's own words, in Latvian (default) and English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LANGS = ("lv", "en")
LANG_COOKIE = "pmp_admin_lang"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (lv, en)
    "app": ("PMP aptaujas — administrēšana", "PMP surveys — administration"),
    "skip": ("Pāriet uz saturu", "Skip to content"),
    "nav": ("Galvenā navigācija", "Main navigation"),
    "dashboard": ("Pārskats", "Dashboard"),
    "campaigns": ("Aptaujas", "Campaigns"),
    "schools": ("Skolas", "Schools"),
    "users": ("Lietotāji", "Users"),
    "audit": ("Izmaiņu žurnāls", "Audit log"),
    "sign_in": ("Pieteikties", "Sign in"),
    "sign_out": ("Iziet", "Sign out"),
    "change_password": ("Mainīt paroli", "Change password"),
    "current_password": ("Pašreizējā parole", "Current password"),
    "new_password": ("Jaunā parole", "New password"),
    "password_changed": (
        "Parole nomainīta. Citas jūsu sesijas ir beigtas.",
        "Password changed. Your other sessions have been signed out.",
    ),
    "email": ("E-pasts", "E-mail"),
    "password": ("Parole", "Password"),
    "password_again": ("Parole vēlreiz", "Password again"),
    "password_hint": ("Vismaz 10 rakstzīmes.", "At least 10 characters."),
    "passwords_differ": ("Paroles nesakrīt.", "The passwords differ."),
    "bad_login": ("Nepareizs e-pasts vai parole.", "Wrong e-mail or password."),
    "rate_limited": (
        "Pārāk daudz neveiksmīgu mēģinājumu. Mēģiniet vēlreiz pēc {minutes} min.",
        "Too many failed sign-ins. Try again in {minutes} min.",
    ),
    "signed_in_as": ("Pieteicies", "Signed in as"),
    "role_operator": ("operators", "operator"),
    "role_evaluator": ("vērtētājs", "evaluator"),
    "role_coordinator": ("skolas koordinators", "school coordinator"),
    "lang_switch": ("English", "Latviski"),
    "municipality": ("Pašvaldība", "Municipality"),
    "all": ("visas", "all"),
    "show": ("Rādīt", "Show"),
    "title": ("Nosaukums", "Title"),
    "instrument": ("Anketa", "Questionnaire"),
    "wave": ("Vilnis (gads)", "Wave (year)"),
    "audience": ("Mērķgrupa", "Audience"),
    "aud_parents": ("vecāki", "parents"),
    "aud_residents": ("iedzīvotāji", "residents"),
    "aud_teachers": ("pedagogi", "teachers"),
    "access_mode": ("Piekļuve", "Access"),
    "am_public_link": ("publiska saite", "public link"),
    "am_school_link": ("skolas saite", "school link"),
    "am_access_code": ("vienreizēji kodi", "single-use codes"),
    "opens_at": ("Atvēršanas laiks (UTC)", "Opens at (UTC)"),
    "closes_at": ("Slēgšanas laiks (UTC)", "Closes at (UTC)"),
    "optional": ("nav obligāts", "optional"),
    "status": ("Statuss", "Status"),
    "st_draft": ("melnraksts", "draft"),
    "st_not_yet_open": ("gaida atvēršanu", "not yet open"),
    "st_open": ("atvērta", "open"),
    "st_closed": ("slēgta", "closed"),
    "new_campaign": ("Jauna aptauja", "New campaign"),
    "create": ("Izveidot", "Create"),
    "open": ("Atvērt", "Open"),
    "close": ("Slēgt", "Close"),
    "close_confirm": ("Slēgtu aptauju vairs nevar atvērt.", "A closed campaign cannot be reopened."),
    "details": ("Sīkāk", "Details"),
    "public_link": ("Publiskā saite", "Public link"),
    "qr_code": ("QR kods", "QR code"),
    "qr_alt": ("QR kods aptaujas saitei", "QR code for the survey link"),
    "rates": ("Atsaucība", "Response rates"),
    "school": ("Skola", "School"),
    "code": ("Kods", "Code"),
    "teachers": ("Pedagogu skaits", "Teachers"),
    "responses": ("Atbildes", "Responses"),
    "rate": ("Atsaucība", "Rate"),
    "total": ("Kopā", "Total"),
    "unknown": ("nav zināms", "unknown"),
    "codes_issued": ("Izsniegti kodi", "Codes issued"),
    "codes_used": ("Izmantoti kodi", "Codes used"),
    "save": ("Saglabāt", "Save"),
    "saved": ("Saglabāts.", "Saved."),
    "import_csv": ("Importēt pedagogu skaitu (CSV)", "Import head-counts (CSV)"),
    "import_help": (
        "Fails ar rindām code,teachers (pirmā rinda: code,teachers). "
        "Ja kāda rinda ir kļūdaina, netiek saglabāts nekas.",
        "A file of rows code,teachers (first line: code,teachers). If any row is wrong, nothing is saved.",
    ),
    "csv_file": ("CSV fails", "CSV file"),
    "csv_text": ("vai ielīmējiet tekstu", "or paste the text"),
    "import": ("Importēt", "Import"),
    "imported": (
        "Importēts: mainīti {updated}, bez izmaiņām {unchanged}.",
        "Imported: {updated} changed, {unchanged} unchanged.",
    ),
    "distribution": ("Izplatīšana skolās", "Distribution to schools"),
    "school_link": ("Skolas saite", "School link"),
    "make_link": ("Izveidot saiti", "Create link"),
    "issue_codes": ("Izsniegt kodus", "Issue codes"),
    "how_many": ("Cik kodu", "How many codes"),
    "format": ("Formāts", "Format"),
    "printable": ("drukājama lapa", "printable sheet"),
    "distribution_unavailable": (
        "Izplatīšanas serviss vēl nav pieejams.",
        "The distribution service is not available yet.",
    ),
    "invite": ("Uzaicināt", "Invite"),
    "invite_user": ("Uzaicināt lietotāju", "Invite a user"),
    "name": ("Vārds, uzvārds", "Name"),
    "role": ("Loma", "Role"),
    "school_code": ("Skolas kods (koordinatoram)", "School code (coordinators)"),
    "invite_link": (
        "Vienreizēja uzaicinājuma saite (derīga 7 dienas; nosūtiet to uzaicinātajam):",
        "One-time invitation link (valid 7 days; send it to the invitee):",
    ),
    "set_password": ("Iestatiet paroli", "Set your password"),
    "invite_for": ("Uzaicinājums lietotājam", "Invitation for"),
    "active": ("Aktīvs", "Active"),
    "yes": ("jā", "yes"),
    "no": ("nē", "no"),
    "when": ("Laiks (UTC)", "When (UTC)"),
    "who": ("Kas", "Who"),
    "action": ("Darbība", "Action"),
    "object": ("Objekts", "Object"),
    "cli": ("komandrinda", "command line"),
    "nothing_yet": ("Vēl nav neviena ieraksta.", "Nothing here yet."),
    "errors_title": ("Lūdzu, izlabojiet:", "Please correct:"),
    "error": ("Kļūda", "Error"),
    "back": ("Atpakaļ uz pārskatu", "Back to the dashboard"),
    "welcome": ("Sveiki", "Welcome"),
    "reports": ("Izvērtējuma pārskati", "Evaluation reports"),
    "reports_note": (
        "Visu plāna rādītāju vērtības ar ticamības intervāliem, izmaiņas pret bāzes vērtību un mērķu vērtējums.",
        "Every indicator of the plan with confidence intervals, change against the baseline and target verdicts.",
    ),
    "report_files": ("Pārskats", "Report"),
    "report_baseline": ("Salīdzināt ar", "Compare with"),
    "report_baseline_auto": (
        "jaunāko iepriekšējo vilni ar datiem, citādi plāna bāzes vērtību (noklusējums)",
        "the most recent earlier wave with data, else the plan's baseline (default)",
    ),
    "report_baseline_plan": ("plānā noteikto bāzes vērtību", "the baseline the plan sets"),
    "report_baseline_published": ("plānā publicēto skaitli", "the figure printed in the plan"),
    "report_lang": ("Valoda", "Language"),
    "report_format": ("Formāts", "Format"),
    "report_open": ("Atvērt", "Open"),
    "coordinator_note": (
        "Jūs redzat tikai savas skolas atbilžu skaitu un atsaucību, nevis atbildes.",
        "You see your school's response counts and rates only, never answers.",
    ),
    "distribute": ("Izplatīšana jūsu skolā", "Distribute to your school's teachers"),
    "distribute_codes_intro": (
        "Izsniedziet vienreizējus kodus: iedodiet katram pedagogam vienu kodu; pedagogs atver saiti vai "
        "QR kodu no lapas un ievada kodu. Atbildes tiek pieskaitītas jūsu skolai.",
        "Issue single-use codes: give each teacher one code; they open the link or QR code on the sheet "
        "and type the code in. Their responses count for your school.",
    ),
    "distribute_link_intro": (
        "Nosūtiet pedagogiem savas skolas saiti vai izdrukājiet tās QR kodu. Atbildes tiek pieskaitītas jūsu skolai.",
        "Send your school's link to the teachers or print its QR code. Their responses count for your school.",
    ),
    "distribute_closed": (
        "Aptauja ir slēgta: saites un kodus vairs neizsniedz.",
        "This campaign is closed: no more links or codes are given out.",
    ),
    "cap_hint": (
        "Vienā reizē ne vairāk kā {cap}: pedagogu skaits ({teachers}) + 20 %.",
        "At most {cap} at a time: your {teachers} teachers + 20%.",
    ),
    "cap_hint_unknown": (
        "Vienā reizē ne vairāk kā {cap}, kamēr skolas pedagogu skaits nav zināms.",
        "At most {cap} at a time while your school's teacher head-count is unknown.",
    ),
    "codes_once": (
        "Kodi tiek parādīti tikai vienreiz: uzreiz izdrukājiet vai saglabājiet tos. "
        "Katru kodu var izmantot vienu reizi.",
        "The codes are shown only once: print or save them straight away. Each code works once.",
    ),
    "rates_distribute": ("Atsaucība un izplatīšana", "Rates and distribution"),
    "open_campaigns": ("Atvērtās aptaujas", "Open campaigns"),
    "forbidden_form": (
        "Veidlapa novecojusi vai nav no šīs vietnes. Pārlādējiet lapu un mēģiniet vēlreiz.",
        "The form has expired or did not come from this site. Reload the page and try again.",
    ),
}


def translator(lang: str) -> Callable[..., str]:
    index = 1 if lang == "en" else 0

    def t(key: str, **values: Any) -> str:
        pair = MESSAGES.get(key)
        text = key if pair is None else pair[index]
        return text.format(**values) if values else text

    return t


#: Latvian for the errors the admin pages show, by "field.code" (or "*.code" for any field);
#: `{value}` is the error's "value". English pages show the service's own message.
LV_ERRORS: dict[str, str] = {
    "email.invalid": "Ievadiet derīgu e-pasta adresi.",
    "name.invalid": "Ievadiet vārdu (līdz 200 rakstzīmēm).",
    "password.weak": "Parolei jābūt 10–256 rakstzīmes garai.",
    "password_again.differs": "Paroles nesakrīt.",
    "current.wrong": "Pašreizējā parole nav pareiza.",
    "role.unknown": "Nezināma loma.",
    "municipality.required": "Izvēlieties pašvaldību.",
    "municipality.unknown": "Nezināma pašvaldība {value}.",
    "school.required": "Koordinatoram jānorāda skolas kods.",
    "school.unknown": "Šajā pašvaldībā nav skolas ar kodu {value}.",
    "email.taken": "Lietotājs ar šo e-pastu jau ir reģistrēts.",
    "instrument.unknown": "Šāda anketa nav ielādēta.",
    "slug.invalid": "Saitei izmantojiet 3–64 mazos burtus, ciparus un defises.",
    "slug.taken": "Šī saite jau ir aizņemta.",
    "closes_at.before_opening": "Slēgšanas laikam jābūt pēc atvēršanas laika.",
    "opens_at.invalid": "Ievadiet datumu un laiku, piemēram, 2026-03-01T08:00.",
    "closes_at.invalid": "Ievadiet datumu un laiku, piemēram, 2026-03-01T08:00.",
    "wave.out_of_range": "Vilnis ir gads no 2000 līdz 2100.",
    "teachers.out_of_range": "Ievadiet skaitli no 0 līdz 100000.",
    "teachers.not_a_number": "Ievadiet veselu skaitli.",
    "count.out_of_range": "Vienā reizē var izsniegt 1–2000 kodu.",
    "count.invalid": "Ievadiet veselu skaitli.",
    "count.over_cap": "Vienā reizē var izsniegt 1–{value} kodu: jūsu skolas pedagogu skaits + 20 %.",
    "count.over_default_cap": (
        "Kamēr skolas pedagogu skaits nav zināms, vienā reizē var izsniegt 1–{value} kodu; "
        "lūdziet pašvaldības vērtētājam to ievadīt."
    ),
    "*.empty": "Fails ir tukšs vai tajā nav rindu; pirmajai rindai jābūt code,teachers.",
    "*.bad_header": "Pirmajai rindai jābūt tieši: code,teachers",
    "*.too_long": "Vienā reizē ne vairāk kā 5000 rindu.",
    "*.columns": "Gaidītas divas vērtības: code,teachers.",
    "*.unknown_school": "Nav skolas ar kodu {value}.",
    "*.duplicate": "Skola {value} norādīta divreiz.",
    "*.not_a_number": "{value} nav vesels skaitlis.",
    "*.out_of_range": "Ievadiet skaitli no 0 līdz 100000, nevis {value}.",
}

#: Latvian titles of error pages, by the problem's code.
LV_TITLES: dict[str, str] = {
    "not_found": "Nav atrasts.",
    "campaign_not_found": "Nav aptaujas ar šo saiti.",
    "school_not_found": "Šādas skolas nav.",
    "forbidden": "Jums nav piekļuves šai darbībai.",
    "campaign_closed": "Slēgtu aptauju nevar atvērt atkārtoti; izveidojiet jaunu vilni.",
    "invitation_not_found": "Šī uzaicinājuma saite nav derīga.",
    "invitation_used": "Šis uzaicinājums jau izmantots; piesakieties.",
    "invitation_expired": "Uzaicinājuma termiņš beidzies; lūdziet jaunu.",
    "email_taken": "Lietotājs ar šo e-pastu jau ir; piesakieties.",
    "validation_failed": "Veidlapā ir kļūdas.",
    "distribution_closed": "Aptauja ir slēgta: saites un kodus vairs neizsniedz.",
    "cross_site": "Pieprasījumi no citām vietnēm netiek pieņemti.",
}

_FIELD_LABELS = {
    "email": "email",
    "name": "name",
    "password": "password",
    "password_again": "password_again",
    "current": "current_password",
    "role": "role",
    "municipality": "municipality",
    "school": "school_code",
    "instrument": "instrument",
    "title": "title",
    "wave": "wave",
    "audience": "audience",
    "access_mode": "access_mode",
    "opens_at": "opens_at",
    "closes_at": "closes_at",
    "teachers": "teachers",
    "count": "how_many",
    "file": "csv_file",
}


def error_line(lang: str, error: dict[str, Any]) -> tuple[str, str]:
    """(field label, message) of a field error in the page's language."""
    t = translator(lang)
    field = str(error.get("field", ""))
    label = t(_FIELD_LABELS[field]) if field in _FIELD_LABELS else field
    message = str(error.get("message", ""))
    if lang == "lv":
        if field.startswith("line "):
            label = "rinda " + field.removeprefix("line ")
        code = str(error.get("code", ""))
        template = LV_ERRORS.get(f"{field}.{code}") or LV_ERRORS.get(f"*.{code}")
        if template is not None:
            message = template.format(value=error.get("value", ""))
    return label, message


def problem_title(lang: str, code: str, title: str) -> str:
    return LV_TITLES.get(code, title) if lang == "lv" else title
