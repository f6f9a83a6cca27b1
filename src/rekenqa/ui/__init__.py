"""The Streamlit side of the app (``app.py`` draws the pages): the shared engine and the session state.

Only this package and ``app.py`` import Streamlit; the pipeline modules and ``rekenqa.render`` never do.
"""
