from marshmallow import Schema, fields, validate

from companion.schemas.fields import Email


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String()
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "Seconds until the access token expires"})


class SignInSchema(TokenSchema):
    status = fields.String(
        required=True,
        metadata={"description": "signed_in, two_factor_required or two_factor_setup_required"},
    )
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    two_factor_token = fields.String(
        metadata={"description": "Bearer token for the two-factor endpoints only; expires in 5 minutes"}
    )


class RefreshSchema(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=10, max=4096))


class ActivationSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=6, max=32))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    email = Email(metadata={"description": "Required when the clinic did not set one at enrollment"})


class ClientCredentialsSchema(Schema):
    grant_type = fields.String(required=True, validate=validate.Equal("client_credentials"))
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    client_secret = fields.String(required=True, validate=validate.Length(min=1, max=256))


class TwoFactorSetupSchema(Schema):
    secret = fields.String(required=True, metadata={"description": "Base32 secret for the authenticator app"})
    otpauth_uri = fields.String(required=True)


class TwoFactorCodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$", error="Enter the 6-digit code."))


class TwoFactorVerifySchema(Schema):
    code = fields.String(validate=validate.Regexp(r"^\d{6}$", error="Enter the 6-digit code."))
    recovery_code = fields.String(validate=validate.Length(min=8, max=20))


class TwoFactorConfirmedSchema(SignInSchema):
    status = fields.String()
    recovery_codes = fields.List(fields.String(), required=True, metadata={"description": "Shown once"})


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
