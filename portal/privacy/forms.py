"""Forms of the DPO's page."""

from wtforms import BooleanField, TextAreaField
from wtforms.validators import ValidationError

from portal.forms import Form, length, required


class EraseForm(Form):
    reason = TextAreaField("Motif de l'effacement", validators=[required("Indiquez le motif de l'effacement."), length(500)],
                           description="Par exemple : demande écrite du jeune reçue le 12/11/2026.")
    confirm = BooleanField("Je confirme l'effacement : l'identité de ce jeune sera anonymisée définitivement.")

    def validate_confirm(self, field) -> None:
        if not field.data:
            raise ValidationError("Cochez la case pour confirmer l'effacement.")
