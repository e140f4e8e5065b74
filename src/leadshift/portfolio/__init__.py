"""The leader's portfolio: objectives, products and their lifecycle, team capacity, initiatives.

Django app plus plain engine modules (``lifecycle``) that import no Django.
"""
