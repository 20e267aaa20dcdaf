-- Analysts reach aggregates only, never message content or phone numbers (DESIGN §6). The API
-- refuses them those routes; these restrictive policies make the database refuse them the rows
-- too, even if a query forgets, and whatever the query asks for.

do $$
declare
  personal_table text;
begin
  foreach personal_table in array array['contacts', 'data_keys', 'messages', 'inbound_events'] loop
    execute format(
      'create policy %I on %I as restrictive using (coalesce(current_setting(''parley.role'', true), '''') <> ''analyst'')',
      personal_table || '_not_analyst', personal_table);
  end loop;
end
$$;
