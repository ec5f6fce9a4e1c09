"""Account forms."""

from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import ValidationError

from portal.access import EMPLOYER, PARTNER, ROLE_LABELS
from portal.accounts import organisations
from portal.forms import Email, Form, length, required
from portal.text import is_digits


class LoginForm(Form):
    email = StringField("Adresse électronique", validators=[required(), length(254)],
                        render_kw={"type": "email", "autocomplete": "username"})
    password = PasswordField("Mot de passe", validators=[required(), length(200)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class PasswordChoiceMixin:
    def validate_password_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError("Les deux mots de passe ne sont pas identiques.")


class AcceptInvitationForm(PasswordChoiceMixin, Form):
    full_name = StringField("Prénom et nom", validators=[required(), length(200)],
                            render_kw={"autocomplete": "name"})
    password = PasswordField("Mot de passe", validators=[required(), length(200)],
                             render_kw={"autocomplete": "new-password"})
    password_confirm = PasswordField("Confirmation du mot de passe", validators=[required()],
                                     render_kw={"autocomplete": "new-password"})


class ResetPasswordForm(PasswordChoiceMixin, Form):
    password = PasswordField("Nouveau mot de passe", validators=[required(), length(200)],
                             render_kw={"autocomplete": "new-password"})
    password_confirm = PasswordField("Confirmation du mot de passe", validators=[required()],
                                     render_kw={"autocomplete": "new-password"})


class ForgotPasswordForm(Form):
    email = StringField("Adresse électronique", validators=[required(), length(254), Email()],
                        render_kw={"autocomplete": "email", "inputmode": "email"})


class ChangePasswordForm(Form):
    current_password = PasswordField("Mot de passe actuel", validators=[required(), length(200)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField("Nouveau mot de passe", validators=[required(), length(200)],
                                 render_kw={"autocomplete": "new-password"})
    new_password_confirm = PasswordField("Confirmation du nouveau mot de passe", validators=[required()],
                                         render_kw={"autocomplete": "new-password"})

    def validate_new_password_confirm(self, field):
        if field.data != self.new_password.data:
            raise ValidationError("Les deux mots de passe ne sont pas identiques.")


class InviteForm(Form):
    email = StringField("Adresse électronique", validators=[required(), length(254), Email()],
                        render_kw={"inputmode": "email"})
    full_name = StringField("Prénom et nom", validators=[required(), length(200)])
    role = SelectField("Rôle", validators=[required()])
    company_id = StringField("Entreprise (compte employeur)", validators=[length(12)],
                             render_kw={"data-autocomplete": "companies", "autocomplete": "off"})
    partner_id = StringField("Organisation partenaire (compte partenaire)", validators=[length(12)],
                             render_kw={"data-autocomplete": "partners", "autocomplete": "off"})

    def set_role_choices(self, allowed: list[str]) -> None:
        self.role.choices = [(r, ROLE_LABELS[r]) for r in allowed]

    def validate_company_id(self, field):
        if self.role.data != "employer":
            field.data = None
            return
        if not field.data:
            raise ValidationError("Choisissez l'entreprise de ce compte employeur.")
        if not is_digits(str(field.data)) or organisations.find(EMPLOYER, int(field.data)) is None:
            raise ValidationError("Entreprise inconnue : choisissez-la dans la liste proposée.")
        field.data = int(field.data)

    def validate_partner_id(self, field):
        if self.role.data != "partner":
            field.data = None
            return
        if not field.data:
            raise ValidationError("Choisissez l'organisation de ce compte partenaire.")
        if not is_digits(str(field.data)) or organisations.find(PARTNER, int(field.data)) is None:
            raise ValidationError("Organisation inconnue : choisissez-la dans la liste proposée.")
        field.data = int(field.data)
