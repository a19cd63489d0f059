// "Select all" on the team dashboard's waiting list: MOJ Frontend's multi-select over the ticks
// (templates/enquiries/dashboard/team.html); the ticks work without it. Loaded as a module from the page (no
// inline script); MOJ Frontend's module is imported from the address the markup gives, so the hashed static
// name is Django's to decide.
const tables = document.querySelectorAll('[data-module="moj-multi-select"]');

if (tables.length && document.body.classList.contains("govuk-frontend-supported")) {
  const { MultiSelect } = await import(tables[0].getAttribute("data-moj-frontend"));
  tables.forEach((table) => new MultiSelect(table));
}
