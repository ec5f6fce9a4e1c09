"""Demo data: this year's survey, open, sent, with some answers (after companies, partners, hires,
conventions and charter signatures exist)."""

import random
from datetime import date, timedelta

from crm.surveys import services
from portal.access import ADMIN
from portal.demo import DemoContext, seeder

IMPROVEMENTS = ["Être rappelé plus vite après l'envoi d'une offre.", "Plus de profils en période estivale.",
                "Une présentation des aides à l'embauche en début d'année.", None, None]
COMMENTS = ["Relation de confiance, interlocuteurs disponibles.", "Très bon suivi après l'embauche.",
            "Les PMSMP nous ont permis de recruter.", None, None, None]


@seeder(60)
def seed_survey(ctx: DemoContext) -> None:
    rng = random.Random(63310)
    today = date.today()
    survey = services.create_survey(ctx.users[ADMIN], year=today.year, opens_on=today - timedelta(days=20),
                                    closes_on=today + timedelta(days=25))
    services.launch_survey(ctx.users[ADMIN], survey, today=today)
    for invitation in survey.invitations:
        if rng.random() < 0.55:
            services.answer_survey(invitation, satisfaction=rng.choice([3, 4, 4, 4, 5, 5, 2]),
                                   recommend=rng.random() < 0.85, improve=rng.choice(IMPROVEMENTS),
                                   comment=rng.choice(COMMENTS))
