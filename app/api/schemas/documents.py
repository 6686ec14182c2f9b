"""The shapes of answers the API passes on as they are: plotly figures and its own document."""

from pydantic import ConfigDict, Field

from app.api.schemas.types import Reply


class PlotlyFigure(Reply):
    """A plotly figure (plotly.io.to_json); numeric arrays may be typed arrays
    ({"dtype": ..., "bdata": base64}), which plotly.js reads."""

    model_config = ConfigDict(extra="allow")  # plotly may add keys (frames) of its own

    data: list[dict]
    layout: dict = Field(
        description='layout.meta.level says "actor", "group" or "cell"; layout.meta.layout '
        "names the picture of the network map."
    )


class OpenApiDocument(Reply):
    """An OpenAPI 3.1 document."""

    model_config = ConfigDict(extra="allow")
