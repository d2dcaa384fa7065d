"""Code queries (AND, OR, NOT, WITHIN, NEAR, OVERLAPS with filters) and named sets."""
