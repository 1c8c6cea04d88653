"""Front-end packages installed from npm (node_modules), served under /assets by a fixed list."""

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("assets", __name__, url_prefix="/assets")

# Only these files leave node_modules.
ASSETS = {
    "chart.js": "chart.js/dist/chart.umd.min.js",
    "bpmn-modeler.js": "bpmn-js/dist/bpmn-modeler.production.min.js",
    "bpmn-viewer.js": "bpmn-js/dist/bpmn-navigated-viewer.production.min.js",
    "diagram-js.css": "bpmn-js/dist/assets/diagram-js.css",
    "bpmn-js.css": "bpmn-js/dist/assets/bpmn-js.css",
    "bpmn-embedded.css": "bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css",
    "pdf.js": "pdfjs-dist/build/pdf.min.mjs",
    "pdf.worker.js": "pdfjs-dist/build/pdf.worker.min.mjs",
    "swagger-ui.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
# pdf.js draws the PDF standard fonts (Helvetica in our letters) from these files.
PDF_FONTS = "pdfjs-dist/standard_fonts"


@bp.get("/<name>")
def asset(name):
    path = ASSETS.get(name)
    if path is None:
        abort(404)
    mimetype = "text/css" if name.endswith(".css") else "text/javascript"
    return send_from_directory(current_app.config["NODE_MODULES_DIR"], path, max_age=86400, mimetype=mimetype)


@bp.get("/pdf-fonts/<name>")
def pdf_font(name):
    if not name.endswith((".pfb", ".ttf")):
        abort(404)
    folder = f"{current_app.config['NODE_MODULES_DIR']}/{PDF_FONTS}"
    return send_from_directory(folder, name, max_age=86400, mimetype="application/octet-stream")
