"""The forms of the clerk's pages: French labels and messages, CSRF tokens from Flask-WTF."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, PasswordField, SearchField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

DOCX_TYPES = (".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XML_TYPES = ".xml,application/xml,text/xml"
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class _Francais:
    # WTForms' own messages (a date it cannot read…) in French.
    locales = ("fr_FR", "fr")


class ConnexionForm(FlaskForm):
    """Sign-in with an access token."""

    class Meta(_Francais):
        pass

    jeton = PasswordField(
        "Jeton d'accès",
        validators=[DataRequired("Saisissez votre jeton d'accès."), Length(max=200)],
        render_kw={"autocomplete": "current-password", "spellcheck": "false"},
    )
    suivant = HiddenField()


class RechercheForm(FlaskForm):
    """Search of the acts (a GET: no CSRF token)."""

    class Meta(_Francais):
        csrf = False

    q = SearchField("Numéro ou objet", validators=[Optional(), Length(max=200)])


class AmendementForm(FlaskForm):
    """Upload of an amended DOCX, conditional on the version the clerk was looking at."""

    class Meta(_Francais):
        pass

    docx = FileField(
        "Document Word modifié (.docx)",
        validators=[FileRequired("Choisissez le fichier DOCX modifié.")],
        render_kw={"accept": DOCX_TYPES},
    )
    # Nine digits at most, as the API's If-Match: a longer number is no version.
    version = IntegerField(widget=HiddenField.widget,
                           validators=[Optional(), NumberRange(1, 999_999_999)])


class AccuseReceptionForm(FlaskForm):
    """The prefecture's acknowledgement: its ``ARActe`` file, or the dates typed by hand."""

    class Meta(_Francais):
        pass

    fichier = FileField("Fichier ARActe (.xml)", render_kw={"accept": XML_TYPES})
    # A browser without a date picker shows a text box: the French way of writing is read too.
    date_envoi = DateField("Date d'envoi à la préfecture", format=DATE_FORMATS,
                           validators=[Optional()])
    date_reception = DateField("Date de réception en préfecture", format=DATE_FORMATS,
                               validators=[Optional()])
    date_publication = DateField("Date de publication ou d'affichage", format=DATE_FORMATS,
                                 validators=[Optional()])

    def validate(self, extra_validators: Any = None) -> bool:
        """Return `True` when either the file or at least one of the first two dates is given,
        not both."""
        if not super().validate(extra_validators):
            return False
        dates = self.date_envoi.data or self.date_reception.data or self.date_publication.data
        if self.fichier.data and dates:
            self.fichier.errors.append(
                "Joignez le fichier de la préfecture ou saisissez les dates, pas les deux.")
            return False
        if not self.fichier.data and not (self.date_envoi.data or self.date_reception.data):
            self.fichier.errors.append(
                "Joignez le fichier ARActe reçu de la préfecture, ou saisissez au moins la date "
                "de réception.")
            return False
        return True

    def dates(self) -> dict[str, str]:
        """Return the dates typed, as the service reads them (``AAAA-MM-JJ``)."""
        return {name: value.isoformat() for name in
                ("date_envoi", "date_reception", "date_publication")
                if (value := getattr(self, name).data)}


class PublicationForm(FlaskForm):
    """The date an act, a procès-verbal or the list of deliberations was put online."""

    class Meta(_Francais):
        pass

    date_mise_en_ligne = DateField(
        "Date de mise en ligne", format=DATE_FORMATS,
        validators=[DataRequired("Saisissez la date de mise en ligne (par exemple 18/03/2024).")])


class AdoptionForm(FlaskForm):
    """The sitting at which the procès-verbal was adopted (« arrêté », CGCT L2121-15)."""

    class Meta(_Francais):
        pass

    arrete_le = DateField(
        "Date de la séance qui l'a arrêté", format=DATE_FORMATS,
        validators=[DataRequired("Saisissez la date de la séance (par exemple 11/04/2024).")])
