# Sphinx configuration of the cloudops.multicloud docs site (`make docs`, tools/build_docs.sh).
# The guides are the Markdown files beside this file; the plugin reference is generated into
# reference/ by antsibull-docs at build time. Warnings fail the build.
project = "cloudops.multicloud"
copyright = "cloudops.multicloud contributors, GPL-3.0-or-later"  # noqa: A001 - Sphinx's name
title = "cloudops.multicloud"
html_short_title = "cloudops.multicloud"

extensions = ["myst_parser", "sphinx_antsibull_ext"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["README.md"]
myst_heading_anchors = 3

pygments_style = "ansible"
highlight_language = "YAML+Jinja"
html_theme = "sphinx_ansible_theme"
html_show_sphinx = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = "any"
nitpicky = True
# The theme's top bar links to ansible.com pages by default; this site is the collection's own.
html_theme_options = {"topbar_links": {}, "show_extranav": False, "show_rtd_ethical_ads": False}
