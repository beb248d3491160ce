"""``python -m kwl_office.cli`` runs ``kwl``."""

from kwl_office.cli import main

main()
