"""Words shared by several capabilities: the contracts an offer proposes and a young person wants, the
education levels an offer requires and a young person has. Kept in the shell so that offers and young
people, which know nothing of each other, name them the same way (the matching compares them)."""

CONTRACT_TYPES = {
    "cdi": "CDI",
    "cdd": "CDD",
    "interim": "Intérim",
    "apprentissage": "Apprentissage",
    "professionnalisation": "Contrat de professionnalisation",
    "pmsmp": "PMSMP (immersion)",
    "saisonnier": "Saisonnier",
    "stage": "Stage",
}

EDUCATION_LEVELS = {
    "infra3": "Sans diplôme (infra niveau 3)",
    "niveau3": "CAP, BEP (niveau 3)",
    "niveau4": "Baccalauréat (niveau 4)",
    "niveau5": "Bac + 2 (niveau 5)",
    "niveau6": "Bac + 3 et plus (niveau 6 et plus)",
}
