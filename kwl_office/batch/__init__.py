"""The secretariat's round: manifest → issue → collect → report, resumable and isolated."""
