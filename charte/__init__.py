"""The charter « Je m'engage pour la jeunesse de mon territoire »."""
