"""French words for the audit log: what kind of object, what was done.

An action code is `<object>.<verb>` (``company.update``); the page reads it as « Entreprise :
modification ». A code this table does not know yet is still shown in words (its object's name, then
« action enregistrée ») so that a new action never shows a raw code to the direction.
"""

OBJECT_TYPES = {
    "ApiToken": "Jeton d'accès à l'API",
    "Assessment": "Bilan de PMSMP",
    "CharterSignature": "Engagement charte",
    "CharterVersion": "Version de la charte",
    "CheckIn": "Point de suivi",
    "CheckInScheduleDefault": "Calendrier de suivi",
    "Commune": "Commune",
    "Company": "Entreprise",
    "Contact": "Contact",
    "Convention": "Convention de partenariat",
    "DirectoryService": "Service de l'annuaire",
    "Epci": "Intercommunalité",
    "Event": "Événement",
    "Hire": "Embauche",
    "Interaction": "Échange",
    "Offer": "Offre",
    "PartnerOrganisation": "Partenaire",
    "PipelineStage": "Étapes de prospection",
    "Placement": "Convention PMSMP",
    "Positioning": "Mise en relation",
    "SavedFilter": "Filtre enregistré",
    "Task": "Tâche",
    "User": "Compte",
    "YouthProfile": "Jeune",
}

# The first part of an action code: the thing acted upon.
_SUBJECTS = {
    "account": "Compte", "api": "API", "charter": "Charte", "check_in": "Point de suivi",
    "company": "Entreprise", "contact": "Contact", "convention": "Convention de partenariat",
    "directory": "Annuaire", "event": "Événement", "followup": "Suivi", "hire": "Embauche",
    "interaction": "Échange", "offer": "Offre", "partner": "Partenaire", "pipeline": "Prospection",
    "placement": "Convention PMSMP", "pmsmp": "Convention PMSMP", "positioning": "Mise en relation",
    "privacy": "Données personnelles", "saved_filter": "Filtre enregistré", "survey": "Enquête de satisfaction",
    "task": "Tâche", "territory": "Territoire", "youth": "Jeune",
}

# Whole codes whose verb reads better on its own.
_ACTIONS = {
    "account.accept_invitation": "invitation acceptée",
    "account.change_password": "mot de passe changé",
    "account.reset_password": "mot de passe réinitialisé",
    "account.reset_requested": "réinitialisation demandée",
    "account.login": "connexion",
    "account.logout_everywhere": "déconnexion partout",
    "api.token_create": "jeton créé",
    "api.token_revoke": "jeton révoqué",
    "charter.confirm_email": "adresse confirmée",
    "charter.to_renew": "engagement à renouveler",
    "check_in.mediation_unassigned": "médiation sans conseiller",
    "check_in.remind_link": "lien rappelé",
    "check_in.send_link": "lien envoyé",
    "convention.document_add": "document ajouté",
    "event.add_company": "entreprise ajoutée",
    "event.remove_company": "entreprise retirée",
    "followup.schedule_defaults": "calendrier par défaut modifié",
    "hire.undo_rupture": "rupture annulée",
    "offer.idle_warning": "avertissement d'inactivité",
    "offer.public_confirm": "besoin confirmé par courriel",
    "offer.public_submit": "besoin déposé par le formulaire public",
    "partner.contact_add": "contact ajouté",
    "partner.contact_remove": "contact retiré",
    "pmsmp.signatures_cleared": "signatures effacées",
    "privacy.import_files_purge": "fichiers d'import supprimés",
    "privacy.retention_run": "durées de conservation appliquées",
    "territory.add_commune": "commune ajoutée",
    "territory.add_epci": "intercommunalité ajoutée",
    "territory.init": "périmètre initial",
    "territory.remove_commune": "commune retirée",
    "territory.remove_epci": "intercommunalité retirée",
    "youth.consent_withdrawn": "consentement retiré",
}

# The last part of an action code, when the whole code is not above.
_VERBS = {
    "access": "consultation", "archive": "archivage", "assess": "bilan rempli", "assign": "attribution",
    "cancel": "annulation", "close": "clôture", "complete": "terminée", "confirm": "confirmation",
    "consent": "consentement enregistré", "correct": "correction", "create": "création",
    "deactivate": "désactivation", "delete": "suppression", "erase": "anonymisation", "expire": "expiration",
    "export": "export", "fill": "pourvue", "import": "import", "invite": "invitation",
    "mediation": "médiation", "merge": "fusion", "plan": "point ajouté", "propose": "proposition",
    "publish": "publication", "reactivate": "réactivation", "record": "réponse enregistrée",
    "reinvite": "nouvelle invitation", "reject": "refus", "renew": "renouvellement", "reopen": "réouverture",
    "resend": "lien renvoyé", "restore": "restauration", "retention": "durées de conservation appliquées",
    "review": "revue annuelle", "rupture": "rupture", "save": "enregistrement", "schedule": "planification",
    "send": "envoi pour signature", "sign": "signature", "stage": "changement d'étape",
    "status": "changement de statut", "submit": "soumission", "update": "modification",
    "validate": "validation", "withdraw": "retrait",
}


def object_label(object_type: str | None) -> str:
    """« Entreprise » for Company; an unknown type is still shown without its code."""
    if not object_type:
        return "—"
    return OBJECT_TYPES.get(object_type, "Autre élément")


def action_label(action: str) -> str:
    """« Entreprise : modification » for company.update."""
    subject, _, verb = action.partition(".")
    words = _ACTIONS.get(action) or _VERBS.get(verb) or _VERBS.get(verb.split("_")[-1]) or "action enregistrée"
    return f"{_SUBJECTS.get(subject, 'Portail')} : {words}"


def action_choices(actions: list[str]) -> list[tuple[str, str]]:
    """Options of the action filter: each subject (every action on it), then each action, in French."""
    subjects = sorted({a.partition(".")[0] for a in actions})
    grouped = [(f"{s}.", f"{_SUBJECTS.get(s, 'Portail')} : toutes les actions") for s in subjects]
    return sorted(grouped + [(a, action_label(a)) for a in actions], key=lambda c: (c[1].split(" : ")[0], c[0]))
