-- Text is now stored as typed and escaped only where it is rendered (src/slack/mrkdwn.ts). Rows written
-- before kept Slack's escaping of command and message text (&amp; &lt; &gt;), and help requests from the
-- form were escaped before storing: decode them once so old and new rows read alike.
-- Help requests: every path stored escaped text.
UPDATE "help_requests" SET
  "question" = replace(replace(replace("question", '&lt;', '<'), '&gt;', '>'), '&amp;', '&'),
  "context" = replace(replace(replace("context", '&lt;', '<'), '&gt;', '>'), '&amp;', '&'),
  "customer" = replace(replace(replace("customer", '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
WHERE "question" ~ '&(lt|gt|amp);' OR "context" ~ '&(lt|gt|amp);' OR "customer" ~ '&(lt|gt|amp);';
--> statement-breakpoint
-- Feedback from /feedback, reactions and the message shortcut kept Slack's escaping; the form and the webhook stored raw text.
UPDATE "feedback_items" SET
  "text" = replace(replace(replace("text", '&lt;', '<'), '&gt;', '>'), '&amp;', '&'),
  "customer" = replace(replace(replace("customer", '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
WHERE "captured_via" IN ('command', 'reaction', 'shortcut') AND ("text" ~ '&(lt|gt|amp);' OR "customer" ~ '&(lt|gt|amp);');
--> statement-breakpoint
-- Department names and keywords, and theme keywords, set with /frontline commands kept Slack's escaping.
UPDATE "departments" SET
  "name" = replace(replace(replace("name", '&lt;', '<'), '&gt;', '>'), '&amp;', '&'),
  "keywords" = ARRAY(SELECT replace(replace(replace(k, '&lt;', '<'), '&gt;', '>'), '&amp;', '&') FROM unnest("keywords") WITH ORDINALITY AS u(k, i) ORDER BY i)
WHERE "name" ~ '&(lt|gt|amp);' OR array_to_string("keywords", ' ') ~ '&(lt|gt|amp);';
--> statement-breakpoint
UPDATE "feedback_themes" SET
  "keywords" = ARRAY(SELECT replace(replace(replace(k, '&lt;', '<'), '&gt;', '>'), '&amp;', '&') FROM unnest("keywords") WITH ORDINALITY AS u(k, i) ORDER BY i)
WHERE array_to_string("keywords", ' ') ~ '&(lt|gt|amp);';
