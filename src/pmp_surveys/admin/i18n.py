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
    "demo_survey_parents": ("vecāku aptauja", "parent survey"),
    "demo_survey_residents": ("iedzīvotāju aptauja", "resident survey"),
    "demo_survey_teachers": ("pedagogu aptauja", "teacher survey"),
    "access_mode": ("Piekļuve", "Access"),
    "am_public_link": ("publiska saite", "public link"),
    "am_school_link": ("skolas saite", "school link"),
    "am_access_code": ("vienreizēji kodi", "single-use codes"),
    "opens_at": ("Atvēršanas laiks (Rīgas laiks)", "Opens at (Rīga time)"),
    "closes_at": ("Slēgšanas laiks (Rīgas laiks)", "Closes at (Rīga time)"),
    "version": ("versija", "version"),
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
    "close_title": ("Slēgt aptauju “{title}”?", "Close the campaign “{title}”?"),
    "close_explain": (
        "Līdz šim saņemtas {n} atbildes; pēc slēgšanas jaunas netiks pieņemtas, saites un kodi vairs nedarbosies.",
        "{n} responses so far; after closing no new ones are accepted and links and codes stop working.",
    ),
    "close_yes": ("Jā, slēgt", "Yes, close it"),
    "cancel": ("Atcelt", "Cancel"),
    "wrong_distribution": (
        "Šai aptaujai izmanto citu izplatīšanas veidu.",
        "This campaign is distributed another way.",
    ),
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
    "when": ("Laiks (Rīgas laiks)", "When (Rīga time)"),
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
    # administrative figures (figure_pages.py)
    "figures": ("Administratīvie dati", "Administrative figures"),
    "figures_upload": ("Augšupielādēt failu (CSV vai XLSX)", "Upload a file (CSV or XLSX)"),
    "figures_help": (
        "Kolonnas: municipality, indicator, year, numerator, denominator un pēc izvēles school "
        "(tukšs — visa pašvaldība). Vispirms parādām pārbaudes rezultātu; nekas netiek saglabāts, "
        "ja kaut viena rinda ir kļūdaina.",
        "Columns: municipality, indicator, year, numerator, denominator and optionally school "
        "(empty — the whole municipality). You see a check first; nothing is stored if any row is wrong.",
    ),
    "figures_file": ("Fails", "File"),
    "figures_check": ("Pārbaudīt", "Check"),
    "figures_preview": ("Pārbaude: viss kārtībā", "Check: all rows are fine"),
    "figures_confirm": ("Saglabāt visas {rows} rindas", "Store all {rows} rows"),
    "figures_problems": (
        "Fails netika saglabāts. Izlabojiet šīs rindas un augšupielādējiet vēlreiz:",
        "The file was not stored. Fix these rows and upload it again:",
    ),
    "figures_stored": (
        "Saglabātas {rows} rindas ({inserted} jaunas, {updated} aizstātas).",
        "{rows} rows stored ({inserted} new, {updated} replaced).",
    ),
    "figures_current": ("Saglabātie dati", "Stored figures"),
    "figures_history": ("Augšupielāžu vēsture", "Upload history"),
    "figure_one": ("Ievadīt vai labot vienu rādītāja vērtību", "Enter or correct one figure"),
    "figure_form": ("(veidlapa)", "(form)"),
    "indicator": ("Rādītājs", "Indicator"),
    "year": ("Gads", "Year"),
    "numerator": ("Skaitītājs", "Numerator"),
    "denominator": ("Saucējs", "Denominator"),
    "value": ("Vērtība", "Value"),
    "whole_municipality": ("visa pašvaldība", "whole municipality"),
    "row": ("Rinda", "Row"),
    "column": ("Kolonna", "Column"),
    "problem": ("Kas nav kārtībā", "What is wrong"),
    "fix": ("Kā labot", "How to fix"),
    "change": ("Izmaiņa", "Change"),
    "change_new": ("jauna", "new"),
    "change_same": ("bez izmaiņām", "unchanged"),
    "change_replaces": ("aizstāj {old}", "replaces {old}"),
    "rows": ("Rindas", "Rows"),
    "command_line": ("komandrinda", "command line"),
    # population margins (margin_pages.py)
    "margins": ("Iedzīvotāju struktūra", "Population margins"),
    "margins_intro": (
        "Iedzīvotāju aptaujas svēršanai: iedzīvotāju skaits pa vecuma grupām un dzimumiem vai pa apkaimēm "
        "(piemēram, no Oficiālās statistikas portāla). Kad dati ir saglabāti, rādītāji ar svērto dizainu "
        "tiek svērti; citādi tiek izmantots vienkāršs novērtējums.",
        "For weighting the resident survey: residents by age band and sex, or by district (e.g. from the "
        "Official Statistics Portal). Once stored, indicators with the weighted design are weighted; "
        "otherwise a simple estimate is used.",
    ),
    "margins_stored": ("Saglabātās struktūras", "Stored margins"),
    "margins_file": (
        "No plāna faila (izmanto, ja nekas nav saglabāts)",
        "From the plan file (used when none are stored)",
    ),
    "margins_add": ("Pievienot vai aizstāt struktūru", "Add or replace a margin"),
    "margins_help": (
        "Pirmā rinda: mainīgie un population, piemēram age_band,sex,population; katrā nākamajā rindā "
        "atbilžu vērtības un iedzīvotāju skaits, piemēram age_25_34,female,41234.",
        "First line: the variables and population, e.g. age_band,sex,population; each following line the "
        "answer values and the head-count, e.g. age_25_34,female,41234.",
    ),
    "margins_choices": ("Pieejamie mainīgie un vērtības", "Variables and values you can use"),
    "source": ("Avots (tabula un datums)", "Source (table and date)"),
    "variables": ("Mainīgie", "Variables"),
    "cells": ("Šūnas", "Cells"),
    "population": ("Iedzīvotāji", "Population"),
    "delete": ("Dzēst", "Delete"),
    # fieldwork monitoring (monitor_pages.py, rates)
    "monitor": ("Norise", "Fieldwork"),
    "responses_so_far": ("atbildes līdz šim", "responses so far"),
    "per_day": ("Atbildes pa dienām", "Responses per day"),
    "per_day_table": ("Tabula", "Table"),
    "chart_label": ("Atbildes pa dienām: {title}", "Responses per day: {title}"),
    "chart_caption": (
        "Stabiņi — atbildes dienā; līnija — kopskaits.",
        "Bars — responses per day; line — running total.",
    ),
    "day": ("Diena", "Day"),
    "running_total": ("Kopā līdz šim", "Running total"),
    "precision": ("Precizitāte", "Precision"),
    "precision_note": (
        "95 % ticamības intervāla pusplatums pie pašreizējā atbilžu skaita, pieņemot paredzēto īpatsvaru "
        "(mērķi vai bāzes vērtību) un vienkāršu gadījumizlasi; grupētam vai svērtam dizainam vajag vairāk.",
        "Half-width of the 95% interval at the current number of responses, at the anticipated share "
        "(target or baseline) and assuming simple random sampling; clustered or weighted designs need more.",
    ),
    "anticipated": ("Paredzētais īpatsvars", "Anticipated share"),
    "half_width_now": ("Pusplatums tagad", "Half-width now"),
    "needed_n": ("Vajadzīgais n", "n needed"),
    "more_needed": ("Vēl vajag", "Still needed"),
    "more_answers": (
        "vēl apmēram {more} atbildes, lai ± {wanted} p.p.",
        "about {more} more answers for ± {wanted} p.p.",
    ),
    "precision_reached": ("± {wanted} p.p. sasniegts", "± {wanted} p.p. reached"),
    "over_headcount": (
        "vairāk atbilžu nekā pedagogu: saite izplatīta ārpus skolas vai pedagogu skaits novecojis",
        "more responses than teachers: the link was shared beyond the school, or the head-count is stale",
    ),
    "without_school": ("Bez skolas", "Without a school"),
    # plan activities (activity_pages.py)
    "activities": ("Pasākumi", "Activities"),
    "activities_intro": (
        "Plāna pasākumu rezultātu tabula pa gadiem: ieguldītais finansējums, plānotais rezultāts, sasniegtā "
        "vērtība (var sasaistīt ar rādītāju vai aptaujas jautājumu), ietekmes novērtējums un kas palīdzēja vai "
        "traucēja. Tabula iekļauta starpposma pārskatā un darbgrāmatā.",
        "The plan's activities results table by year: funding, planned result, achieved value (may be linked to "
        "an indicator or a survey question), impact assessment and what helped or hindered. The table is in the "
        "mid-term report and workbook.",
    ),
    "activity_add": ("Pievienot pasākumu", "Add an activity"),
    "activity_edit": ("Labot pasākumu", "Edit the activity"),
    "goal": ("Mērķis", "Goal"),
    "activity": ("Pasākums", "Activity"),
    "funding": ("Finansējums", "Funding"),
    "planned_result": ("Plānotais rezultāts", "Planned result"),
    "achieved": ("Sasniegtā vērtība", "Achieved"),
    "linked_indicator": ("Saistītais rādītājs", "Linked indicator"),
    "linked_item": ("Saistītais aptaujas jautājums (anketa:jautājums)", "Linked survey question (instrument:question)"),
    "impact": ("Ietekmes novērtējums", "Impact assessment"),
    "factors": ("Kas palīdzēja vai traucēja", "What helped or hindered"),
    "edit": ("Labot", "Edit"),
    "actions": ("Darbības", "Actions"),
    # plan revisions (plans/pages.py)
    "plan_versions": ("Plāna versijas", "Plan versions"),
    "plan_intro": (
        "Katra plāna (rādītāju, bāzes vērtību un mērķu) pārskatīšana tiek saglabāta kā jauna, nemainīga, "
        "datēta versija. Pārskati izmanto jaunāko versiju un norāda, kuru; agrāko pārskatu var atkārtot ar "
        "agrāko versiju.",
        "Each revision of the plan (indicators, baselines and targets) is stored as a new, immutable, dated "
        "version. Reports use the latest version and say which; an earlier report can be reproduced with its "
        "earlier version.",
    ),
    "plan_history": ("Versiju vēsture", "Version history"),
    "plan_version": ("Versija", "Version"),
    "plan_date": ("Saglabāta", "Stored"),
    "plan_by": ("Saglabāja", "Stored by"),
    "plan_seed": ("sākotnējais fails", "seed file"),
    "plan_note": ("Piezīme", "Note"),
    "plan_checksum": ("Kontrolsumma", "Checksum"),
    "plan_download": ("Lejupielādēt TOML", "Download TOML"),
    "plan_report": ("Pārskats {wave}", "Report {wave}"),
    "plan_indicator_change": (
        "Mainīt viena rādītāja bāzes vērtību vai mērķi",
        "Change one indicator's baseline or target",
    ),
    "plan_indicator_help": (
        "Procenti kā skaitlis no 0 līdz 100 (piem., 70). Tukšs lauks paliek nemainīts; mērķis ar to pašu gadu "
        "tiek aizstāts. Saglabājot rodas jauna versija.",
        "Percentages as a number from 0 to 100 (e.g. 70). A blank field stays as it is; a target of the same year "
        "is replaced. Saving stores a new version.",
    ),
    "plan_indicator": ("Rādītājs", "Indicator"),
    "plan_targets": ("mērķi", "targets"),
    "plan_baseline": ("Bāzes vērtība, %", "Baseline, %"),
    "plan_baseline_year": ("Bāzes vērtības gads", "Baseline year"),
    "plan_target_year": ("Mērķa gads", "Target year"),
    "plan_target_kind": ("Mērķa veids", "Kind of target"),
    "plan_target_value": ("Mērķa vērtība, %", "Target value, %"),
    "plan_kind_at_least": ("vismaz (≥)", "at least (≥)"),
    "plan_kind_at_most": ("ne vairāk kā (≤)", "at most (≤)"),
    "plan_kind_below": ("mazāk nekā (<)", "below (<)"),
    "plan_kind_above": ("vairāk nekā (>)", "above (>)"),
    "plan_save_version": ("Saglabāt jaunu versiju", "Store a new version"),
    "plan_upload": ("Augšupielādēt pārskatītu plāna failu", "Upload a revised plan file"),
    "plan_upload_help": (
        "Pašvaldības TOML fails (formāts: analysis/README.md). Lejupielādējiet jaunāko versiju, labojiet to un "
        "augšupielādējiet; katra kļūda tiek parādīta ar labojumu.",
        "The municipality's TOML file (format: analysis/README.md). Download the latest version, edit it and "
        "upload it; every problem is listed with its fix.",
    ),
    "plan_file": ("TOML fails", "TOML file"),
    "plan_text": ("vai ielīmējiet tekstu", "or paste its text"),
    "plan_onboard": ("Pievienot pašvaldību", "Add a municipality"),
    "plan_onboard_help": (
        "Jaunas pašvaldības plāna fails (ar tās kodu, skolām un rādītājiem); pēc saglabāšanas tā parādās "
        "sākumlapā un izvērtējumā.",
        "A new municipality's plan file (its code, schools and indicators); once stored it appears on the "
        "dashboard and in the evaluation.",
    ),
    "plan_onboard_button": ("Pievienot", "Add"),
    "plan_problems": ("Failā ir kļūdas — nekas nav saglabāts", "The file has problems — nothing was stored"),
    "plan_code": ("Kods", "Code"),
    "plan_where": ("Vieta", "Where"),
    "plan_problem": ("Kļūda", "Problem"),
    "plan_fix": ("Kā labot", "How to fix"),
    "plan_line": ("rinda", "line"),
    "plan_stored": ("Saglabāta plāna versija {version}.", "Stored plan version {version}."),
    "plan_unchanged": (
        "Saturs nav mainījies; jaunākā versija joprojām ir {version}.",
        "Nothing changed; the latest version is still {version}.",
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
    "count.over_total_cap": "Šai skolai kodi jau izsniegti; vēl var izsniegt ne vairāk kā {value}. Ja vajag vairāk, "
    "lūdziet pašvaldības vērtētāju.",
    "count.over_default_cap": (
        "Kamēr skolas pedagogu skaits nav zināms, vienā reizē var izsniegt 1–{value} kodu; "
        "lūdziet pašvaldības vērtētājam to ievadīt."
    ),
    "*.margin_empty": "Tabula ir tukša; pirmajai rindai jābūt, piemēram, age_band,sex,population.",
    "*.margin_header": "Pēdējai kolonnai jābūt population pēc 1–3 mainīgajiem; katru mainīgo norādiet vienreiz.",
    "*.margin_variable": "Mainīgais nav anketas jautājums ar vienu atbildi. {value}",
    "*.margin_columns": "Nepareizs vērtību skaits rindā.",
    "*.margin_level": "Nezināma atbildes vērtība. {value}",
    "*.margin_count": "Iedzīvotāju skaitam jābūt veselam skaitlim, lielākam par 0.",
    "*.margin_duplicate": "Šī šūna jau norādīta iepriekšējā rindā.",
    "*.margin_too_long": "Pārāk daudz rindu.",
    "source.required": "Norādiet avotu, piemēram, statistikas tabulu un datumu.",
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
    "wrong_distribution": "Šai aptaujai izmanto citu izplatīšanas veidu (skolas saiti vai vienreizējos kodus).",
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
    "source": "source",
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


#: Notices a page may show after a redirect (`?saved=<key>` or `?saved=<key>:<n>,<n>,…`), with the
#: names of their counts: a link cannot put any other text on a page as a success notice.
NOTICES: dict[str, tuple[str, ...]] = {
    "saved": (),
    "figures_stored": ("rows", "inserted", "updated"),
    "imported": ("updated", "unchanged"),
    "plan_stored": ("version",),
    "plan_unchanged": ("version",),
}


def notice_param(key: str, *counts: int) -> str:
    """The `saved` query value for a known notice, e.g. ``figures_stored:3,2,1``."""
    return f"{key}:{','.join(str(n) for n in counts)}" if counts else key


def notice_text(lang: str, saved: str | None) -> str | None:
    """The notice a `saved` query value names, in `lang`; None for anything unknown or malformed."""
    key, _, numbers = (saved or "").partition(":")
    names = NOTICES.get(key)
    if names is None:
        return None
    counts = numbers.split(",") if numbers else []
    if len(counts) != len(names) or not all(c.isascii() and c.isdigit() and len(c) <= 9 for c in counts):
        return None
    return translator(lang)(key, **{n: int(c) for n, c in zip(names, counts, strict=True)})


def problem_title(lang: str, code: str, title: str) -> str:
    return LV_TITLES.get(code, title) if lang == "lv" else title
