from flask import Blueprint

bp = Blueprint("interactions", __name__)
