"""Extension singletons, created once here and bound to an app in create_app."""

import http

from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from flask_sqlalchemy import SQLAlchemy

from companion.errors import PROBLEM_MIMETYPE
from companion.models.base import Base
from companion.netutil import client_address
from companion.schemas.problem import ProblemSchema


class CompanionApi(Api):
    """flask-smorest Api whose documented errors are problem+json, as the handlers answer."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Error (problem details)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True)
jwt = JWTManager()
api = CompanionApi()
limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=True)
