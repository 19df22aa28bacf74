-- The public search takes a postcode as well as a city: it finds the sites of that postcode.
CREATE INDEX site_postcode_idx ON site (postcode);
