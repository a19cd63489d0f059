"""The partners' API (docs/api.md): machine clients with OAuth 2 client credentials reading people and
enquiries through the pages' own selectors and access rule, each read recorded like a page view."""
