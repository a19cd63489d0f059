"""Letters to the person, their referrer and partners, made from templates the safeguarding unit keeps and
filed on the record as documents."""
