"""The audit log in words: action names, object kinds and details in the admin's language.

The log stores stable codes (``auth.sign_in``, ``user.accept_invitation``) and JSON details; the
page shows a name for each (the code stays in a tooltip) and the details as "key: value" lines.
Unknown codes and keys are shown as stored.
"""

from __future__ import annotations

from typing import Any

__all__ = ["action_name", "detail_lines", "object_name"]

#: action code -> (lv, en); every code passed to ``audit.service.record``.
ACTIONS: dict[str, tuple[str, str]] = {
    "auth.sign_in": ("Pieteicās", "Signed in"),
    "auth.sign_in_failed": ("Neveiksmīga pieteikšanās", "Failed sign-in"),
    "auth.locked_out": ("Pieteikšanās bloķēta", "Sign-in locked"),
    "user.create": ("Izveidots lietotājs", "User created"),
    "user.invite": ("Uzaicināts lietotājs", "User invited"),
    "user.accept_invitation": ("Pieņemts uzaicinājums", "Invitation accepted"),
    "user.password": ("Nomainīta parole", "Password changed"),
    "user.activate": ("Lietotājs aktivizēts", "User activated"),
    "user.deactivate": ("Lietotājs deaktivizēts", "User deactivated"),
    "campaign.create": ("Izveidota aptauja", "Campaign created"),
    "campaign.open": ("Aptauja atvērta", "Campaign opened"),
    "campaign.close": ("Aptauja slēgta", "Campaign closed"),
    "link.ensure": ("Izsniegta skolas saite", "School link issued"),
    "codes.issue": ("Izsniegti kodi", "Codes issued"),
    "responses.import": ("Importētas atbildes", "Responses imported"),
    "responses.paper": ("Ievadītas papīra anketas", "Paper questionnaires keyed"),
    "school.update": ("Mainīts skolas pedagogu skaits", "School's teacher count changed"),
    "school.import": ("Importēts pedagogu skaits", "Teacher counts imported"),
    "figures.import": ("Importēti administratīvie dati", "Administrative figures imported"),
    "margins.set": ("Saglabāts iedzīvotāju sadalījums", "Population margins saved"),
    "margins.delete": ("Dzēsts iedzīvotāju sadalījums", "Population margins deleted"),
    "activity.add": ("Pievienots pasākums", "Activity added"),
    "activity.update": ("Mainīts pasākums", "Activity changed"),
    "activity.delete": ("Dzēsts pasākums", "Activity deleted"),
    "plan.onboard": ("Pievienota pašvaldība", "Municipality added"),
    "plan.revise": ("Jauna plāna versija", "New plan version"),
    "export.download": ("Lejupielādēts eksports", "Export downloaded"),
}

#: object type -> (lv, en)
OBJECTS: dict[str, tuple[str, str]] = {
    "user": ("lietotājs", "user"),
    "campaign": ("aptauja", "campaign"),
    "school": ("skola", "school"),
    "school_link": ("skolas saite", "school link"),
    "figure_upload": ("datu augšupielāde", "figure upload"),
    "population_margin": ("iedzīvotāju sadalījums", "population margin"),
    "plan_activity": ("pasākums", "activity"),
    "catalogue_version": ("plāna versija", "plan version"),
    "municipality": ("pašvaldība", "municipality"),
}

#: details key -> (lv, en)
KEYS: dict[str, tuple[str, str]] = {
    "email": ("e-pasts", "e-mail"),
    "role": ("loma", "role"),
    "by": ("kas", "by"),
    "teachers": ("pedagogi", "teachers"),
    "rows": ("rindas", "rows"),
    "file": ("fails", "file"),
    "year": ("gads", "year"),
    "version": ("versija", "version"),
    "note": ("piezīme", "note"),
    "count": ("skaits", "count"),
    "title": ("nosaukums", "title"),
    "school": ("skola", "school"),
    "inserted": ("jaunas", "new"),
    "updated": ("aizstātas", "replaced"),
}


def _pick(table: dict[str, tuple[str, str]], lang: str, key: str) -> str:
    pair = table.get(key)
    return key if pair is None else pair[1 if lang == "en" else 0]


def action_name(lang: str, action: str) -> str:
    """The action's name in `lang`; the stored code when it has none."""
    return _pick(ACTIONS, lang, action)


def object_name(lang: str, object_type: str) -> str:
    """The kind of object in `lang` ("lietotājs" for "user"); the stored type when unknown."""
    return _pick(OBJECTS, lang, object_type)


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        if len(value) == 2 and all(not isinstance(v, (list, dict)) for v in value):
            return f"{_value(value[0])} → {_value(value[1])}"
        return "; ".join(_value(v) for v in value)
    if value is None:
        return "—"
    return str(value)


def detail_lines(lang: str, details: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) per detail: keys in `lang`, lists and pairs written out, never raw JSON."""
    return [(_pick(KEYS, lang, str(k)), _value(v)) for k, v in details.items()]
