"""Tools outside the shipped core: the synthetic catalogue and the link checker."""
