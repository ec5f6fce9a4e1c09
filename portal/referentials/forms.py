"""Territory forms."""

from wtforms import StringField

from portal.forms import Form, length, required


class AddCommuneForm(Form):
    commune = StringField("Commune (nom, code postal ou code INSEE)", validators=[required(), length(200)],
                          render_kw={"data-autocomplete": "communes", "autocomplete": "off"})


class AddEpciForm(Form):
    epci = StringField("Intercommunalité (nom ou SIREN)", validators=[required(), length(200)],
                       render_kw={"data-autocomplete": "epci", "autocomplete": "off"})
