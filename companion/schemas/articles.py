from marshmallow import Schema, fields, validate

from companion.schemas.fields import SUPPORTED_LANGUAGES, Language

CATEGORIES = ("about-treatment", "preparing", "during-and-after", "side-effects-safety", "results-follow-up")
MAX_BODY_CHARACTERS = 40_000


class ArticleSummarySchema(Schema):
    slug = fields.String(required=True)
    language = fields.String(required=True)
    category = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    version = fields.Integer(required=True)
    source = fields.String(required=True, metadata={"description": "clinic (the clinic's own version) or default"})
    reviewed_by = fields.String(allow_none=True)
    reviewed_on = fields.Date(allow_none=True)


class ArticleSchema(ArticleSummarySchema):
    body = fields.String(required=True, metadata={"description": "Markdown, with clinic settings filled in"})
    body_html = fields.String(allow_none=True, metadata={"description": "Sanitized HTML when format=html"})
    notice = fields.String(required=True, metadata={"description": "Not-medical-advice notice to show with it"})


class ArticleQueryArgsSchema(Schema):
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    lang = fields.String(validate=validate.OneOf(SUPPORTED_LANGUAGES))
    q = fields.String(validate=validate.Length(min=2, max=100), metadata={"description": "Words to search for"})


class ArticleDetailArgsSchema(Schema):
    lang = fields.String(validate=validate.OneOf(SUPPORTED_LANGUAGES))
    format = fields.String(load_default="markdown", validate=validate.OneOf(["markdown", "html"]))


class ArticleVersionCreateSchema(Schema):
    language = Language(required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    summary = fields.String(required=True, validate=validate.Length(min=10, max=280))
    body = fields.String(required=True, validate=validate.Length(min=20, max=MAX_BODY_CHARACTERS))
    reviewed_by = fields.String(validate=validate.Length(max=200), load_default=None)
    reviewed_on = fields.Date(load_default=None)
    publish = fields.Boolean(load_default=False, metadata={"description": "Show it to patients at once"})


class ArticleVersionSchema(Schema):
    version = fields.Integer(required=True)
    source = fields.String(required=True)
    published = fields.Boolean(required=True, metadata={"description": "The version patients see now"})
    category = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    body = fields.String(required=True)
    reviewed_by = fields.String(allow_none=True)
    reviewed_on = fields.Date(allow_none=True)
    created_at = fields.DateTime(required=True)


class LanguageArgsSchema(Schema):
    language = Language(required=True)
